package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.render.Yaml;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard of docs/decisions/0010-rules-judge-the-local-cluster.md, applied to every promtool test
 * Vigil ships: each test file is run again with every input series duplicated as a federated copy
 * from another cluster ({@code cluster="remote"}, same values), and must pass with the same
 * expected alerts. A remote copy that hid a local alert (an absent() or a ratio that now also
 * counts the remote series) or added one (an alert on the remote copy) fails it.
 *
 * <p>Expression tests compare whole result sets, so their expression is narrowed to local series
 * ({@code and on (cluster) vector(1)} keeps only samples without a cluster label): what they check
 * is that the local values, recorded series included, are unchanged by the remote copies.
 */
class FederatedCopiesIT {
  static final String REMOTE = "remote";

  private static Path promtool;

  @TempDir static Path work;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  @TestFactory
  Stream<DynamicTest> remoteCopiesNeitherHideNorAddLocalAlerts() {
    return RuleFiles.ruleFiles().stream()
        .map(f -> DynamicTest.dynamicTest(f.fileName(), () -> run(f)));
  }

  private static void run(RuleFiles.RuleFile f) throws IOException {
    assertThat(f.testFile()).as("unit-test file for %s", f.fileName()).isNotNull();
    JsonNode tests = RuleFiles.read(f.testFile());
    int copies = withRemoteCopies(tests);
    assertThat(copies).as("input series copied in %s", f.testFile().getFileName()).isPositive();
    Path dir = Files.createDirectories(work.resolve(f.component()));
    Files.copy(f.path(), dir.resolve(f.fileName()));
    Path test = dir.resolve("federated-" + f.testFile().getFileName());
    Files.writeString(test, Yaml.write(tests));
    Tools.Run run =
        Tools.run(dir, 180, promtool.toString(), "test", "rules", test.getFileName().toString());
    assertThat(run.exitCode())
        .as(
            "promtool test rules %s with remote copies of every series:%n%s",
            test.getFileName(), run.output())
        .isZero();
  }

  /** Adds the remote copies in place; returns how many series were copied. */
  static int withRemoteCopies(JsonNode tests) {
    int copies = 0;
    for (JsonNode test : tests.path("tests")) {
      if (test.path("input_series") instanceof ArrayNode inputs) {
        int n = inputs.size();
        for (int i = 0; i < n; i++) {
          JsonNode in = inputs.get(i);
          String series = in.path("series").asText();
          if (!RuleChecks.InputSeries.parse(series).label("cluster").isEmpty()) {
            continue;
          }
          ObjectNode copy = in.deepCopy();
          copy.put("series", remote(series));
          inputs.add(copy);
          copies++;
        }
      }
      for (JsonNode e : test.path("promql_expr_test")) {
        ((ObjectNode) e)
            .put("expr", "(" + e.path("expr").asText() + ") and on (cluster) vector(1)");
      }
    }
    return copies;
  }

  static String remote(String series) {
    String s = series.strip();
    int close = s.lastIndexOf('}');
    if (close < 0) {
      return s + "{cluster=\"" + REMOTE + "\"}";
    }
    String inside = s.substring(s.indexOf('{') + 1, close).strip();
    String sep = inside.isEmpty() || inside.endsWith(",") ? "" : ", ";
    return s.substring(0, s.indexOf('{') + 1) + inside + sep + "cluster=\"" + REMOTE + "\"}";
  }

  @Test
  void copiesCarryTheRemoteClusterAndKeepEveryOtherLabel() {
    assertThat(remote("up")).isEqualTo("up{cluster=\"remote\"}");
    assertThat(remote("up{job=\"a\", node=\"b\"}"))
        .isEqualTo("up{job=\"a\", node=\"b\", cluster=\"remote\"}");
    assertThat(remote("{__name__=\"up\"}")).isEqualTo("{__name__=\"up\", cluster=\"remote\"}");
    assertThat(RuleChecks.InputSeries.parse(remote("x{a=\"1\"}")).labels())
        .containsEntry("a", "1")
        .containsEntry("cluster", REMOTE);
  }
}
