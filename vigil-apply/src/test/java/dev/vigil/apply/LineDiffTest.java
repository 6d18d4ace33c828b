package dev.vigil.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineDiffTest {
  @Test
  void equalTextsHaveNoDiff() {
    assertThat(LineDiff.unified("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
  }

  /** The expected hunks are what GNU diff -u prints for the same two files. */
  @Test
  void changesAreShownWithThreeLinesOfContextAsDiffUDoes() {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n";
    assertThat(LineDiff.unified(a, b, "live", "applied"))
        .isEqualTo(
            String.join(
                "\n",
                "--- live",
                "+++ applied",
                "@@ -2,9 +2,10 @@",
                " 2",
                " 3",
                " 4",
                "-5",
                "+five",
                " 6",
                " 7",
                " 8",
                " 9",
                " 10",
                "+11",
                ""));
    StringBuilder c = new StringBuilder();
    StringBuilder d = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      c.append(i).append('\n');
      d.append(i == 5 ? "five" : i == 20 ? "twenty" : String.valueOf(i)).append('\n');
    }
    assertThat(LineDiff.unified(c.toString(), d.toString(), "live", "applied"))
        .isEqualTo(
            String.join(
                "\n",
                "--- live",
                "+++ applied",
                "@@ -2,7 +2,7 @@",
                " 2",
                " 3",
                " 4",
                "-5",
                "+five",
                " 6",
                " 7",
                " 8",
                "@@ -17,4 +17,4 @@",
                " 17",
                " 18",
                " 19",
                "-20",
                "+twenty",
                ""));
  }

  @Test
  void aNewObjectIsAllAdditions() {
    assertThat(LineDiff.unified("", "kind: ConfigMap\nmetadata:\n", "live (absent)", "applied"))
        .isEqualTo(
            "--- live (absent)\n+++ applied\n@@ -0,0 +1,2 @@\n+kind: ConfigMap\n+metadata:\n");
  }
}
