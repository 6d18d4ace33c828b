package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs and overlays as an attacker or an accident writes them: devices, FIFOs, huge files, deep
 * nesting, alias bombs, huge values, floods of mistakes. Each ends in a located problem or a
 * one-line file error, within a time and allocation budget, and nothing echoes more than a short
 * excerpt.
 */
class SpecInputLimitsTest {
  static final String HEAD = "apiVersion: vigil.dev/v1\nkind: Station\ncluster:\n  name: lab\n";
  static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aDeviceIsRefusedWithoutReadingIt() {
    Budget.Spent<Throwable> spent =
        Budget.run(LIMIT, () -> thrownBy(() -> SpecLoader.load(Path.of("/dev/zero"), List.of())));
    assertThat(spent.value())
        .isInstanceOf(SpecLoader.SpecFileException.class)
        .hasMessage("/dev/zero: not a regular file (a device, FIFO or socket); expected a file");
    assertThat(spent.allocatedBytes()).isLessThan(16L << 20);
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("pipe.yaml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    Path spec = Files.writeString(dir.resolve("vigil.yaml"), HEAD);
    for (List<Object> attempt :
        List.<List<Object>>of(List.of(fifo, List.of()), List.of(spec, List.of(fifo)))) {
      @SuppressWarnings("unchecked")
      Budget.Spent<Throwable> spent =
          Budget.run(
              LIMIT,
              () ->
                  thrownBy(
                      () -> SpecLoader.load((Path) attempt.get(0), (List<Path>) attempt.get(1))));
      assertThat(spent.value())
          .isInstanceOf(SpecLoader.SpecFileException.class)
          .hasMessage(fifo + ": not a regular file (a device, FIFO or socket); expected a file");
    }
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, HEAD + "#".repeat(SpecLoader.MAX_FILE_BYTES - HEAD.length()) + "\n");
    assertThatThrownBy(() -> SpecLoader.load(big, List.of()))
        .isInstanceOf(SpecLoader.SpecFileException.class)
        .hasMessage(
            big
                + ": "
                + (SpecLoader.MAX_FILE_BYTES + 1)
                + " bytes, larger than the limit of 4194304 bytes");
    Path spec = Files.writeString(dir.resolve("vigil.yaml"), HEAD);
    assertThatThrownBy(() -> SpecLoader.load(spec, List.of(big)))
        .hasMessageStartingWith(big + ": " + (SpecLoader.MAX_FILE_BYTES + 1) + " bytes");
  }

  @Test
  void aFileThatIsNotUtf8IsLocated() throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, (HEAD + "  namespace: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> SpecLoader.load(latin1, List.of()))
        .isInstanceOf(SpecLoader.SpecFileException.class)
        .hasMessage(latin1 + ":5:17: not UTF-8 text: byte 0xe9 at offset 76; expected UTF-8");
    assertThatThrownBy(() -> SpecLoader.load(dir, List.of()))
        .isInstanceOf(SpecLoader.SpecFileException.class)
        .hasMessage(dir + ": is a directory, expected a file");
  }

  @Test
  void deepFlowNestingIsALocatedProblem() {
    String deep = HEAD + "nodes: " + "[".repeat(2000) + "]".repeat(2000) + "\n";
    assertThat(problems(new Source("vigil.yaml", deep)))
        .containsExactly("vigil.yaml:5:71: collections nested more than 64 levels deep");
  }

  @Test
  void deepNestingInAnOverlayOrASetIsALocatedProblem() {
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      block.append(" ".repeat(i)).append("k:\n");
    }
    assertThat(problems(new Source("vigil.yaml", HEAD), new Source("dev.yaml", block.toString())))
        .containsExactly("dev.yaml:65:65: collections nested more than 64 levels deep");
    assertThat(
            problems(
                new Source("vigil.yaml", HEAD),
                Source.set("components.prometheus.replicas=" + "[".repeat(2000))))
        .containsExactly("--set:1:96: collections nested more than 64 levels deep");
  }

  @Test
  void aSourceOverTheSizeLimitIsRefusedWithoutParsing() {
    String huge = HEAD + "  namespace: " + "a".repeat(20_000_000) + "\n";
    Budget.Spent<List<String>> spent =
        Budget.run(LIMIT, () -> problems(new Source("vigil.yaml", huge)));
    assertThat(spent.value())
        .containsExactly(
            "vigil.yaml:1:1: " + huge.length() + " bytes, larger than the limit of 4194304 bytes");
    assertThat(spent.allocatedBytes()).isLessThan(64L << 20);
    String wide = HEAD + "  namespace: " + "\u00e9".repeat(2_100_000) + "\n";
    assertThat(wide.length()).isLessThan(SpecLoader.MAX_FILE_BYTES);
    assertThat(problems(new Source("vigil.yaml", wide)))
        .containsExactly(
            "vigil.yaml:1:1: "
                + (wide.length() + 2_100_000)
                + " bytes, larger than the limit of 4194304 bytes");
  }

  /** A single-line scalar used to cost time quadratic in its length inside the YAML scanner. */
  @Test
  void aHugeScalarIsRefusedAtItsPositionInLinearTime() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, HEAD + "  namespace: " + "a".repeat(4_000_000) + "\n");
    Budget.Spent<Bound<Station>> spent = Budget.run(LIMIT, () -> SpecLoader.load(file, List.of()));
    assertThat(spent.value().problems().stream().map(Problem::toString))
        .containsExactly(
            file + ":5:14: a scalar of 4000000 characters; at most 1048576 are accepted");
    assertThat(spent.time()).isLessThan(Duration.ofSeconds(20));
    assertThat(spent.allocatedBytes()).isLessThan(256L << 20);
    String many = HEAD + ("  namespace: " + "a".repeat(1_000_000) + "\n").repeat(4);
    Budget.Spent<List<String>> four =
        Budget.run(LIMIT, () -> problems(new Source("vigil.yaml", many)));
    assertThat(four.value()).hasSize(3).allMatch(p -> p.contains("duplicate key 'namespace'"));
    assertThat(four.time()).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void anAliasChainIsStoppedBeforeItIsExpanded() {
    StringBuilder sb = new StringBuilder(HEAD + "bogus:\n  l0: &l0 [" + "x,".repeat(39) + "x]\n");
    for (int i = 1; i < 17; i++) {
      String prev = "*l" + (i - 1);
      sb.append("  l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [")
          .append(prev)
          .append(',')
          .append(prev)
          .append(',')
          .append(prev)
          .append("]\n");
    }
    String bomb = sb.toString();
    assertThat(bomb.length()).isLessThan(600);
    Budget.Spent<List<String>> spent =
        Budget.run(LIMIT, () -> problems(new Source("vigil.yaml", bomb)));
    assertThat(spent.value())
        .containsExactly(
            "vigil.yaml:14:12: more than 200000 nodes once aliases are expanded (an alias bomb?)");
    assertThat(spent.allocatedBytes()).isLessThan(64L << 20);
  }

  @Test
  void longValuesAreEchoedAsShortExcerpts() {
    String tail = "...(499940 more characters)'";
    assertThat(
            problems(new Source("vigil.yaml", HEAD + "  namespace: " + "a".repeat(500_000) + "\n")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("vigil.yaml:5:14: cluster.namespace: expected a namespace name")
                    .endsWith(tail))
        .satisfies(p -> assertThat(p.length()).isLessThan(400));
    List<String> found =
        problems(
            new Source(
                "vigil.yaml",
                HEAD
                    + "nodes:\n  - name: n1\n    address: "
                    + "1".repeat(500_000)
                    + "\n"
                    + "    mac: "
                    + "b".repeat(500_000)
                    + "\n"
                    + "    role: "
                    + "c".repeat(500_000)
                    + "\n"
                    + "components:\n  prometheus:\n"
                    + "    scrapeInterval: "
                    + "1".repeat(500_000)
                    + "s\n"
                    + "    replicas: "
                    + "9".repeat(500_000)
                    + "\n"
                    + "    storage: {size: "
                    + "9".repeat(500_000)
                    + "Gi}\n"
                    + "    ? "
                    + "d".repeat(500_000)
                    + "\n    : 1\n"));
    assertThat(found).hasSize(7).allMatch(p -> p.length() < 600, "at most 600 characters");
    assertThat(found.get(0))
        .startsWith(
            "vigil.yaml:7:14: nodes[0].address: expected an IP address such as 192.168.4.63, got '111");
    assertThat(found.get(1))
        .startsWith("vigil.yaml:8:10: nodes[0].mac: expected a MAC address")
        .endsWith(tail);
    assertThat(found.get(2)).startsWith("vigil.yaml:9:11: nodes[0].role: expected ").endsWith(tail);
    assertThat(found.get(3))
        .startsWith("vigil.yaml:12:21: components.prometheus.scrapeInterval: expected a duration");
    assertThat(found.get(4))
        .startsWith(
            "vigil.yaml:13:15: components.prometheus.replicas: expected an integer between");
    assertThat(found.get(5))
        .startsWith("vigil.yaml:14:21: components.prometheus.storage.size: expected a quantity");
    assertThat(found.get(6))
        .startsWith("vigil.yaml:15:7: components.prometheus.dddd")
        .contains("unknown field 'dddd");
  }

  @Test
  void controlCharactersInValuesAreEscaped() {
    List<String> found =
        problems(new Source("vigil.yaml", HEAD + "  namespace: \"\\e[2J\\e[31mowned\\a\\r\"\n"));
    assertThat(found)
        .containsExactly(
            "vigil.yaml:5:14: cluster.namespace: expected a namespace name (DNS label of at most 56 characters,"
                + " so '-agents' fits), got '\\x1b[2J\\x1b[31mowned\\x07\\x0d'");
  }

  @Test
  void aFloodOfMistakesIsReportedAsTheFirstHundred() {
    StringBuilder sb = new StringBuilder(HEAD);
    for (int i = 0; i < 90_000; i++) {
      sb.append('k').append(i).append(": 1\n");
    }
    Budget.Spent<Bound<Station>> spent =
        Budget.run(LIMIT, () -> SpecLoader.load(List.of(new Source("vigil.yaml", sb.toString()))));
    Bound<Station> bound = spent.value();
    assertThat(bound.problems()).hasSize(90_000);
    List<String> lines = bound.report().lines().toList();
    assertThat(lines).hasSize(101);
    assertThat(lines.get(0)).startsWith("vigil.yaml:5:1: k0: unknown field 'k0'");
    assertThat(lines.get(99)).startsWith("vigil.yaml:104:1: k99: unknown field 'k99'");
    assertThat(lines.get(100)).isEqualTo("and 89900 more problems");
    assertThat(bound.reportWithExcerpts().lines().toList())
        .hasSize(301)
        .last()
        .isEqualTo("and 89900 more problems");
    // Bounded by the line count above and each line's length (a line names the fields expected,
    // which grow with the spec), not by the input's size.
    assertThat(lines).allMatch(l -> l.length() < 400);
    assertThat(spent.allocatedBytes()).isLessThan(2L << 30);
  }

  @Test
  void aDocumentWithTooManyNodesIsStopped() {
    StringBuilder sb = new StringBuilder(HEAD);
    for (int i = 0; i < 150_000; i++) {
      sb.append('k').append(i).append(": 1\n");
    }
    assertThat(problems(new Source("vigil.yaml", sb.toString())))
        .containsExactly(
            "vigil.yaml:100000:9: more than 200000 nodes once aliases are expanded (an alias bomb?)");
  }

  @Test
  void excerptsOfLongLinesAreClippedAroundTheColumn() {
    String line = "  namespace: " + "a".repeat(200_000) + " b";
    Bound<Station> bound = SpecLoader.load(List.of(new Source("vigil.yaml", HEAD + line + "\n")));
    String report = bound.reportWithExcerpts();
    assertThat(report.length()).isLessThan(1000);
    List<String> lines = report.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith(" 5 |   namespace: aaaa").endsWith("...");
    assertThat(lines.get(2).indexOf('^'))
        .isEqualTo(lines.get(1).indexOf("namespace: ") + "namespace: ".length());
  }

  private static List<String> problems(Source... sources) {
    return SpecLoader.load(List.of(sources)).problems().stream().map(Problem::toString).toList();
  }

  private static Throwable thrownBy(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    return null;
  }
}
