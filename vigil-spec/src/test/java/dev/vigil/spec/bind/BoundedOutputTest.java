package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What problems and reports show is short and printable, whatever the spec holds. */
class BoundedOutputTest {
  @Test
  void excerptsAreShortAndPrintable() {
    assertThat(Excerpts.quoted("10 GB")).isEqualTo("'10 GB'");
    assertThat(Excerpts.quoted("x".repeat(61)))
        .isEqualTo("'" + "x".repeat(60) + "...(1 more characters)'");
    assertThat(Excerpts.quoted("a\u001b[31mb\nc\u0085")).isEqualTo("'a\\x1b[31mb\\x0ac\\x85'");
  }

  @Test
  void everyPartOfAProblemIsBoundedAndPrintableEvenWhenACheckForgetsTo() {
    Problem p =
        new Problem(
            "f\n.yaml",
            1,
            1,
            "a." + "k".repeat(10_000),
            "got 'x'\r\nfake:1:1: ok " + "v".repeat(100_000));
    assertThat(p.file()).isEqualTo("f\\x0a.yaml");
    assertThat(p.path()).hasSize(Problem.MAX_PATH + "...(9802 more characters)".length());
    assertThat(p.message())
        .startsWith("got 'x'\\x0d\\x0afake:1:1: ok vvv")
        .endsWith("more characters)");
    assertThat(p.toString().length()).isLessThan(1300);
  }

  @Test
  void listingsShowTheFirstHundredThenCount() {
    List<Problem> problems = new ArrayList<>();
    for (int i = 1; i <= 250; i++) {
      problems.add(new Problem("v.yaml", i, 1, "", "bad"));
    }
    String listed = Problem.listing(problems, Problem::toString);
    assertThat(listed.lines()).hasSize(101).first().isEqualTo("v.yaml:1:1: bad");
    assertThat(listed.lines().toList().get(99)).isEqualTo("v.yaml:100:1: bad");
    assertThat(listed).endsWith("\nand 150 more problems");
    assertThat(Problem.listing(problems.subList(0, 101), Problem::toString))
        .endsWith("\nand 1 more problem");
    assertThat(Problem.listing(problems.subList(0, 100), Problem::toString))
        .endsWith("v.yaml:100:1: bad");
    assertThat(new SpecException(problems).getMessage()).isEqualTo(listed);
    assertThat(new SpecException(problems).problems()).hasSize(250);
  }

  @Test
  void excerptsOfLongLinesKeepTheCaretUnderTheColumn() {
    String line = "\tkey: " + "x".repeat(500) + "\u001bBAD" + "y".repeat(500);
    Source source = new Source("v.yaml", "a: 1\n" + line + "\n");
    Locations locations = new Locations(Position.startOf("v.yaml"), List.of("v.yaml"));
    locations.addSource(source);
    int column = line.indexOf('\u001b') + 1;
    String excerpt = locations.excerpt(new Problem("v.yaml", 2, column, "key", "bad"));
    List<String> lines = excerpt.lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith(" 2 | ...xxx").contains("x\\x1bBADy").endsWith("y...");
    assertThat(lines.get(0).length()).isLessThan(160);
    assertThat(lines.get(0).charAt(lines.get(1).indexOf('^'))).isEqualTo('\\');
    // A short line is shown whole, tabs kept so the caret lines up in any terminal.
    String shortLine = locations.excerpt(new Problem("v.yaml", 1, 4, "a", "bad"));
    assertThat(shortLine).isEqualTo(" 1 | a: 1\n   |    ^");
    Locations tabs = new Locations(Position.startOf("t.yaml"), List.of("t.yaml"));
    tabs.addSource(new Source("t.yaml", "\tk: v\n"));
    assertThat(tabs.excerpt(new Problem("t.yaml", 1, 5, "k", "bad")))
        .isEqualTo(" 1 | \tk: v\n   | \t   ^");
  }

  @Test
  void linesWhoseKeyNamesASecretAreNeverShown() {
    assertThat(Locations.holdsSecret("  password: hunter2")).isTrue();
    assertThat(Locations.holdsSecret("  - apiToken: x")).isTrue();
    assertThat(Locations.holdsSecret("  \"client.Secret\" : x")).isTrue();
    assertThat(Locations.holdsSecret("  name: password")).isFalse();
    assertThat(Locations.holdsSecret("  replicas: 2")).isFalse();
    // Linear in the line: a long key of repeated words ends quickly.
    String longKey = "password".repeat(200_000);
    long start = System.nanoTime();
    assertThat(Locations.holdsSecret(longKey + "x")).isFalse();
    assertThat(Locations.holdsSecret(longKey + ": x")).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  record Window(Duration interval, Duration every, Inner inner) implements Validated {
    record Inner(List<Duration> steps) {}

    @Override
    public void validate(Checks checks) {
      checks.error(
          "every",
          "must be at least the interval ("
              + interval
              + "), got "
              + every
              + "; steps "
              + inner.steps()
              + "; PT1M stays as written");
    }
  }

  @Test
  void durationsInCheckMessagesAreShownAsASpecWritesThem() {
    Bound<Window> b =
        Binder.bind(
            Window.class, "w.yaml", "interval: 1m30s\nevery: 0s\ninner: {steps: [250ms, 2h]}\n");
    assertThat(b.report())
        .isEqualTo(
            "w.yaml:2:8: every: must be at least the interval (1m30s), got 0s; steps [250ms, 2h]; PT1M stays as written");
  }

  @Sensitive
  record Secretive(String token) implements Validated {
    @Override
    public void validate(Checks checks) {
      checks.error("token", "expected a token of 40 characters, got " + Excerpts.quoted(token));
    }
  }

  @Test
  void aClippedSecretIsMaskedLikeAWholeOne() {
    String secret = "s3cr3t".repeat(20);
    Bound<Secretive> b = Binder.bind(Secretive.class, "s.yaml", "token: " + secret + "\n");
    assertThat(b.report())
        .isEqualTo("s.yaml:1:8: token: expected a token of 40 characters, got '***'");
  }

  @Test
  void longIntegersAreOutOfRangeWithoutBeingRead() {
    assertThat(Binder.parseCoreInt("0".repeat(100) + "5")).isEqualTo(5);
    assertThat(Binder.parseCoreInt("-" + "0".repeat(100) + "5")).isEqualTo(-5);
    assertThat(Binder.parseCoreInt("0x" + "0".repeat(100) + "ff")).isEqualTo(255);
    long start = System.nanoTime();
    assertThat(Binder.parseCoreInt("9".repeat(1_000_000)))
        .isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));
    assertThat(Binder.parseCoreInt("-" + "9".repeat(1_000_000)))
        .isLessThan(BigInteger.valueOf(Long.MIN_VALUE));
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
