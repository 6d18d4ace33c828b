package dev.vigil.base.input;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class YamlLimitsTest {
  private static final YamlLimits LIMITS = new YamlLimits(64, 10_000, 1000, 1);

  @Test
  void ordinaryDocumentsPass() {
    assertThatCode(() -> LIMITS.check("a.yaml", "a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n"))
        .doesNotThrowAnyException();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void billionLaughsIsStoppedBeforeExpansion() {
    StringBuilder sb =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      sb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        sb.append(i == 0 ? "" : ",").append('*').append(p);
      }
      sb.append("]\n");
    }
    assertThatThrownBy(() -> LIMITS.check("bomb.yaml", sb.toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("bomb.yaml:")
        .hasMessageContaining("nodes once aliases are expanded");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void deepNestingIsLocated() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> LIMITS.check("deep.json", deep))
        .hasMessage("deep.json:1:65: collections nested more than 64 levels deep");
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    block.append("  ".repeat(100)).append("v\n");
    assertThatThrownBy(() -> LIMITS.check("deep.yaml", block.toString()))
        .hasMessageContaining("nested more than 64");
  }

  @Test
  void longScalarsAndExtraDocuments() {
    assertThatThrownBy(() -> LIMITS.check("s.yaml", "a: " + "x".repeat(1001)))
        .hasMessage("s.yaml:1:4: a scalar of 1001 characters; at most 1000 are accepted");
    assertThatThrownBy(() -> LIMITS.check("d.yaml", "a: 1\n---\nb: 2\n"))
        .hasMessage("d.yaml:2:1: expected a single YAML document, found another one here");
  }

  @Test
  void syntaxErrorsAreLeftToTheParser() {
    assertThatCode(() -> LIMITS.check("bad.yaml", "a: [1, 2\n")).doesNotThrowAnyException();
  }

  /**
   * The parser keeps the token being scanned in a window it compacts on every refill of its read
   * buffer; with the default 1 KiB buffer one long single-line scalar costs time quadratic in its
   * length (minutes for 20 MB). The check must stay linear, so an over-long scalar is refused fast.
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void oneHugeSingleLineScalarIsCheckedInLinearTime() {
    YamlLimits limits = new YamlLimits(64, 10_000, 1 << 20, 1);
    String huge = "a: " + "x".repeat(24 << 20) + "\n";
    assertThatThrownBy(() -> limits.check("big.yaml", huge))
        .hasMessage(
            "big.yaml:1:4: a scalar of "
                + (24 << 20)
                + " characters; at most "
                + (1 << 20)
                + " are accepted");
    String quoted = "a: \"" + "x".repeat(24 << 20) + "\"\n";
    assertThatThrownBy(() -> limits.check("big.yaml", quoted)).hasMessageContaining("a scalar of");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aliasesInsideTheCollectionTheyNameAreRefused() {
    assertThatThrownBy(() -> LIMITS.check("r.yaml", "a: &x {b: 1, <<: *x}\n"))
        .hasMessage(
            "r.yaml:1:18: alias *x is inside the collection it refers to (a recursive structure)");
    assertThatThrownBy(() -> LIMITS.check("r.yaml", "- &x\n  - [1, *x]\n"))
        .hasMessage(
            "r.yaml:2:9: alias *x is inside the collection it refers to (a recursive structure)");
    // Once the collection is closed, or the name is given to a later node, the alias is ordinary.
    assertThatCode(() -> LIMITS.check("ok.yaml", "a: &x {b: 1}\nc: {<<: *x}\nd: &x [&x 1, *x]\n"))
        .doesNotThrowAnyException();
  }
}
