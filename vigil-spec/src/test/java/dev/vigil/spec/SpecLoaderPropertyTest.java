package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and adversarial YAML fed to the loader: grammar-built documents, deep and wide ones, alias
 * chains, huge scalars, binary and control characters, mutated real specs, as base, overlay and
 * {@code --set}. Whatever comes in, the loader returns a value or located problems (a file it
 * cannot read is its one exception), within a time limit per case and an allocation budget
 * proportional to the input, and what it reports is bounded.
 *
 * <p>Scales with the project's fuzz knob {@code vigil.fuzz.tries} (2000 by default, far more with
 * {@code -Plong}): a fiftieth of it in cases per cheap generator, a two-hundredth per generator of
 * megabyte inputs. Cases come from seed {@code vigil.fuzz.seed}; a failure names the generator,
 * seed and case to replay.
 */
class SpecLoaderPropertyTest {
  static final Duration PER_CASE = Duration.ofSeconds(60);

  /** Allocation allowed per input character, above a fixed allowance for the loader itself. */
  static final long BYTES_PER_CHAR = 1000;

  static final long FIXED_ALLOWANCE = 256L << 20;
  static final int MAX_LINE = 1500;

  @TempDir Path dir;

  record Case(String generator, List<Source> sources) {
    long size() {
      return sources.stream().mapToLong(s -> s.text().length()).sum();
    }
  }

  @Test
  void anyInputEndsInAValueOrLocatedProblemsWithinBudget() {
    int tries = Integer.getInteger("vigil.fuzz.tries", 2000);
    long seed = Long.getLong("vigil.fuzz.seed", 20_240_601L);
    List<Function<Random, Case>> generators =
        List.of(
            SpecLoaderPropertyTest::grammar,
            SpecLoaderPropertyTest::mutatedDefault,
            SpecLoaderPropertyTest::deep,
            SpecLoaderPropertyTest::wide,
            SpecLoaderPropertyTest::aliasChain,
            SpecLoaderPropertyTest::hugeScalar,
            SpecLoaderPropertyTest::binary);
    for (int g = 0; g < generators.size(); g++) {
      Random random = new Random(seed + g);
      // Huge inputs cost a second each on a busy machine: fewer of them.
      int n = g >= 2 ? Math.max(3, tries / 200) : Math.max(10, tries / 50);
      for (int i = 0; i < n; i++) {
        Case c = generators.get(g).apply(random);
        String label =
            c.generator() + " #" + i + " (seed " + (seed + g) + ", " + c.size() + " chars)";
        check(label, c);
      }
    }
  }

  @Test
  void anyFileEndsInAValueLocatedProblemsOrAOneLineFileError() throws Exception {
    Random random = new Random(Long.getLong("vigil.fuzz.seed", 20_240_601L));
    for (int i = 0; i < 30; i++) {
      byte[] bytes = new byte[random.nextInt(i < 25 ? 4096 : SpecLoader.MAX_FILE_BYTES + 2)];
      random.nextBytes(bytes);
      if (i % 3 == 0) {
        byte[] valid = SpecLoader.defaultText().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(valid, 0, bytes, 0, Math.min(valid.length, bytes.length / 2));
      }
      Path file = Files.write(dir.resolve("spec-" + i + ".yaml"), bytes);
      Budget.Spent<Object> spent =
          Budget.run(
              PER_CASE,
              () -> {
                try {
                  return SpecLoader.load(file, List.of());
                } catch (SpecLoader.SpecFileException e) {
                  return e;
                }
              });
      if (spent.value() instanceof SpecLoader.SpecFileException e) {
        assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
        assertThat(e.getMessage().length()).isLessThan(MAX_LINE);
      } else {
        @SuppressWarnings("unchecked")
        Bound<Station> bound = (Bound<Station>) spent.value();
        assertBounded("file #" + i, bound, List.of(new Source(file.toString(), "")));
      }
    }
  }

  private static void check(String label, Case c) {
    Budget.Spent<Object> spent =
        Budget.run(
            PER_CASE,
            label,
            () -> {
              try {
                return SpecLoader.load(c.sources());
              } catch (Throwable t) {
                return t;
              }
            });
    if (spent.value() instanceof Throwable t) {
      throw new AssertionError(label + " threw instead of reporting problems", t);
    }
    @SuppressWarnings("unchecked")
    Bound<Station> bound = (Bound<Station>) spent.value();
    assertBounded(label, bound, c.sources());
    assertThat(spent.allocatedBytes())
        .as("%s allocated %d bytes", label, spent.allocatedBytes())
        .isLessThan(FIXED_ALLOWANCE + BYTES_PER_CHAR * c.size());
  }

  private static void assertBounded(String label, Bound<Station> bound, List<Source> sources) {
    assertThat(bound.ok()).as(label).isEqualTo(bound.value() != null);
    List<String> names = sources.stream().map(Source::name).toList();
    for (Problem p : bound.problems().subList(0, Math.min(bound.problems().size(), 1000))) {
      assertThat(names).as("%s: %s names a file given", label, p).contains(p.file());
      assertThat(p.line()).as(label).isPositive();
      assertThat(p.column()).as(label).isPositive();
      assertThat(p.message()).as(label).isNotBlank();
      assertThat(p.toString().length()).as("%s: %.200s", label, p.toString()).isLessThan(MAX_LINE);
      assertThat(p.toString()).as(label).doesNotContain("\n", "\r", "\u001b", "\u0000");
    }
    String report = bound.reportWithExcerpts();
    assertThat(report.lines().count()).as(label).isLessThanOrEqualTo(3L * Problem.MAX_REPORTED + 1);
    assertThat(report.length()).as(label).isLessThan(3 * Problem.MAX_REPORTED * MAX_LINE);
    assertThat(report).as(label).doesNotContain("\u001b", "\u0000", "\r");
  }

  // --- generators -------------------------------------------------------------------------------

  static final String[] KEYS = {
    "apiVersion",
    "kind",
    "cluster",
    "name",
    "namespace",
    "nodes",
    "address",
    "mac",
    "role",
    "components",
    "prometheus",
    "replicas",
    "scrapeInterval",
    "retention",
    "size",
    "time",
    "storage",
    "access",
    "nodePort",
    "alerting",
    "receivers",
    "power",
    "syslog",
    "labels",
    "x"
  };
  static final String[] SCALARS = {
    "vigil.dev/v1",
    "Station",
    "lab",
    "10.0.0.1",
    "::1",
    "::1.2.3",
    "aa:bb:cc:dd:ee:ff",
    "30s",
    "1h30m",
    "290y",
    "291y",
    "10Gi",
    "16Ei",
    "70000",
    "-1",
    "0x7fffffff",
    "1e999",
    ".nan",
    "~",
    "true",
    "yes",
    "''",
    "\"\\e[31m\"",
    "\"\\0\"",
    "!!int x",
    "!!binary AAAA",
    "!foo bar",
    "|\n  a\n  b"
  };

  /**
   * Documents built from a small YAML grammar: block and flow, anchors, aliases, merge keys, tags.
   */
  static Case grammar(Random r) {
    StringBuilder sb = new StringBuilder();
    List<String> anchors = new ArrayList<>();
    blockMapping(sb, r, 0, 1 + r.nextInt(5), anchors);
    List<Source> sources = new ArrayList<>(List.of(new Source("vigil.yaml", sb.toString())));
    if (r.nextBoolean()) {
      StringBuilder overlay = new StringBuilder();
      blockMapping(overlay, r, 0, 1 + r.nextInt(3), new ArrayList<>());
      sources.add(new Source("dev.yaml", overlay.toString()));
    }
    if (r.nextInt(3) == 0) {
      sources.add(
          Source.set(
              KEYS[r.nextInt(KEYS.length)]
                  + "."
                  + KEYS[r.nextInt(KEYS.length)]
                  + "="
                  + flow(r, 0, new ArrayList<>())));
    }
    return new Case("grammar", sources);
  }

  private static void blockMapping(
      StringBuilder sb, Random r, int indent, int depthLeft, List<String> anchors) {
    int entries = 1 + r.nextInt(6);
    for (int i = 0; i < entries; i++) {
      sb.append(" ".repeat(indent)).append(KEYS[r.nextInt(KEYS.length)]).append(':');
      int kind = depthLeft <= 0 ? 0 : r.nextInt(4);
      if (kind == 0) {
        sb.append(' ').append(scalar(r, anchors)).append('\n');
      } else if (kind == 1) {
        sb.append(' ').append(flow(r, depthLeft, anchors)).append('\n');
      } else if (kind == 2) {
        String anchor = maybeAnchor(r, anchors);
        sb.append(anchor.isEmpty() ? "" : " " + anchor).append('\n');
        blockMapping(sb, r, indent + 2, depthLeft - 1, anchors);
      } else {
        sb.append('\n');
        for (int k = 0; k < 1 + r.nextInt(3); k++) {
          sb.append(" ".repeat(indent + 2))
              .append("- ")
              .append(flow(r, depthLeft - 1, anchors))
              .append('\n');
        }
      }
    }
  }

  private static String flow(Random r, int depthLeft, List<String> anchors) {
    int kind = depthLeft <= 0 ? 0 : r.nextInt(4);
    if (kind == 0) {
      return scalar(r, anchors);
    }
    StringBuilder sb = new StringBuilder(maybeAnchor(r, anchors));
    int n = r.nextInt(4);
    if (kind == 1) {
      sb.append('[');
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ", ").append(flow(r, depthLeft - 1, anchors));
      }
      return sb.append(']').toString();
    }
    sb.append('{');
    for (int i = 0; i < n; i++) {
      String key = r.nextInt(8) == 0 && !anchors.isEmpty() ? "<<" : KEYS[r.nextInt(KEYS.length)];
      sb.append(i == 0 ? "" : ", ")
          .append(key)
          .append(": ")
          .append(flow(r, depthLeft - 1, anchors));
    }
    return sb.append('}').toString();
  }

  private static String maybeAnchor(Random r, List<String> anchors) {
    if (r.nextInt(3) != 0) {
      return "";
    }
    String a = "a" + anchors.size();
    anchors.add(a);
    return "&" + a + " ";
  }

  private static String scalar(Random r, List<String> anchors) {
    if (!anchors.isEmpty() && r.nextInt(4) == 0) {
      return "*" + anchors.get(r.nextInt(anchors.size()));
    }
    String s = SCALARS[r.nextInt(SCALARS.length)];
    return s.startsWith("|") ? "\"block\"" : s;
  }

  /** The default station with characters and tokens inserted, deleted and duplicated. */
  static Case mutatedDefault(Random r) {
    StringBuilder sb = new StringBuilder(SpecLoader.defaultText());
    String alphabet =
        " \n\t:-{}[],'\"#&*!|>~?%@`0123456789abcxyz\u00c4\u2028\ufeff\u0000\u0007\u001b";
    for (int e = 0; e < 1 + r.nextInt(6); e++) {
      int at = r.nextInt(sb.length());
      switch (r.nextInt(4)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        case 2 -> sb.insert(at, SCALARS[r.nextInt(SCALARS.length)]);
        default -> {
          int end = Math.min(sb.length(), at + r.nextInt(200));
          sb.insert(r.nextInt(sb.length()), sb.substring(at, end));
        }
      }
    }
    return new Case("mutated", List.of(new Source("vigil.yaml", sb.toString())));
  }

  /** Nesting far deeper than the limit, flow or block, closed or not, in base, overlay or --set. */
  static Case deep(Random r) {
    int depth = 50 + r.nextInt(20_000);
    String body =
        switch (r.nextInt(4)) {
          case 0 -> "[".repeat(depth) + "]".repeat(depth);
          case 1 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
          case 2 -> "[".repeat(depth);
          default -> {
            StringBuilder sb = new StringBuilder("\n");
            for (int i = 1; i <= Math.min(depth, 3000); i++) {
              sb.append(" ".repeat(i)).append(r.nextBoolean() ? "- " : "k: ").append('\n');
            }
            yield sb.toString();
          }
        };
    String head = "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: lab}\nnodes: ";
    return switch (r.nextInt(3)) {
      case 0 -> new Case("deep", List.of(new Source("vigil.yaml", head + body)));
      case 1 ->
          new Case(
              "deep",
              List.of(
                  new Source("vigil.yaml", head + "[]"), new Source("dev.yaml", "nodes: " + body)));
      default ->
          new Case(
              "deep",
              List.of(
                  new Source("vigil.yaml", head + "[]"),
                  Source.set("nodes=" + body.replace('\n', ' '))));
    };
  }

  /** Very many keys, items or mistakes: near and past the node limit. */
  static Case wide(Random r) {
    int n = 1000 + r.nextInt(160_000);
    StringBuilder sb =
        new StringBuilder("apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: lab}\n");
    switch (r.nextInt(3)) {
      case 0 -> {
        for (int i = 0; i < n; i++) {
          sb.append('k').append(i).append(": ").append(i).append('\n');
        }
      }
      case 1 -> {
        sb.append("nodes:\n");
        for (int i = 0; i < n / 4; i++) {
          sb.append("  - {name: n")
              .append(i)
              .append(", address: 10.0.")
              .append(i % 300)
              .append(".1}\n");
        }
      }
      default -> {
        sb.append("components: {prometheus: {extraScrapeTargets: [");
        for (int i = 0; i < n / 2; i++) {
          sb.append(i == 0 ? "" : ",")
              .append("{name: t")
              .append(i % 50)
              .append(", targets: [h:99999]}");
        }
        sb.append("]}}\n");
      }
    }
    return new Case("wide", List.of(new Source("vigil.yaml", sb.toString())));
  }

  /**
   * Anchors referring to earlier anchors, any width and length, under a known or an unknown key.
   */
  static Case aliasChain(Random r) {
    int width = 2 + r.nextInt(9);
    int levels = 3 + r.nextInt(30);
    boolean mappings = r.nextBoolean();
    String key = r.nextBoolean() ? "bogus" : "nodes";
    StringBuilder sb =
        new StringBuilder(
            "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: lab}\n" + key + ":\n");
    sb.append("  - &l0 ")
        .append(mappings ? "{name: n, address: 10.0.0.1}" : "[x, y, z]")
        .append('\n');
    for (int i = 1; i < levels; i++) {
      sb.append("  - &l").append(i).append(mappings ? " {<<: [" : " [");
      for (int j = 0; j < width; j++) {
        sb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      sb.append(mappings ? "]}\n" : "]\n");
    }
    return new Case("aliases", List.of(new Source("vigil.yaml", sb.toString())));
  }

  /** Scalars from just under to far over the scalar and source limits, in every style. */
  static Case hugeScalar(Random r) {
    int n = (1 << 20) - 100 + r.nextInt(r.nextBoolean() ? 200 : 5 << 20);
    String value = (r.nextBoolean() ? "a" : "9").repeat(n);
    String field =
        switch (r.nextInt(5)) {
          case 0 -> "  namespace: " + value;
          case 1 -> "  namespace: \"" + value + "\"";
          case 2 -> "  namespace: '" + value + "'";
          case 3 -> "  namespace: |\n    " + value;
          default -> "  " + value + ": 1";
        };
    String text = "apiVersion: vigil.dev/v1\nkind: Station\ncluster:\n  name: lab\n" + field + "\n";
    return new Case("huge scalar", List.of(new Source("vigil.yaml", text)));
  }

  /**
   * Random code points, control characters and surrogates included, alone or after a valid head.
   */
  static Case binary(Random r) {
    int n = r.nextInt(r.nextInt(4) == 0 ? 2 << 20 : 4096);
    StringBuilder sb =
        new StringBuilder(r.nextBoolean() ? "apiVersion: vigil.dev/v1\nkind: Station\n" : "");
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(10);
      char c =
          kind < 3
              ? (char) r.nextInt(0x20)
              : kind < 5 ? (char) (0xd800 + r.nextInt(0x800)) : (char) r.nextInt(0x10000);
      sb.append(c);
    }
    return new Case("binary", List.of(new Source("vigil.yaml", sb.toString())));
  }
}
