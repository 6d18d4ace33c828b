package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Prometheus query of every catalog dashboard, run by the real PromQL engine of {@code
 * promtool test rules} against homelab-shaped series (dashboard-data.series.yaml, plus the one a
 * component keeps beside its tests for its own dashboards) with every shipped rule file loaded, so
 * the recorded series the panels read are there: each query must return data. A query that errors
 * (a many-to-many join, a missing recording) or selects nothing (a misspelt label, a recording rule
 * whose output labels the panel does not expect) fails, by panel.
 *
 * <p>Each query becomes a recording rule {@code dashboard_data:present{query="N"}} whose value is 1
 * when the query returns at least one sample and 0 when it returns none; an erroring query records
 * nothing. The expression test then expects a 1 for every N.
 */
class DashboardQueriesReturnDataIT {
  private static final String SERIES =
      "/dev/vigil/render/grafana/dashboard/dashboard-data.series.yaml";

  /**
   * Dashboards the homelab-shaped series do not feed, and where their queries are run instead: each
   * must still exist (a stale entry fails), and every other dashboard is held to data.
   */
  static final Map<String, String> ELSEWHERE =
      Map.of(
          "postgres",
              "run against Debian's postgres exporter and PostgreSQL by the integration's IT",
          "redis", "run against Debian's redis exporter and Redis by the integration's IT",
          "nginx", "run against Debian's nginx exporter and nginx by the integration's IT",
          "kafka", "no Kafka runs here: promtool checks the syntax only",
          "tempo", "no Tempo runs here: promtool checks the syntax only",
          "traces", "no Tempo runs here: promtool checks the syntax only",
          "otel-collector", "no OpenTelemetry Collector runs here: promtool checks the syntax only",
          "ingress", "no ingress-nginx runs here: promtool checks the syntax only");

  private static Path promtool;

  @TempDir Path dir;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  @Test
  void everyCatalogPanelQueryReturnsData() throws IOException {
    List<Query> queries = new ArrayList<>();
    java.util.Set<String> dashboards = new java.util.TreeSet<>();
    for (Query q : QueryCorpus.queries(QueryCorpus.all())) {
      dashboards.add(q.dashboard());
      if (q.datasourceType().equals("prometheus") && !ELSEWHERE.containsKey(q.dashboard())) {
        queries.add(q);
      }
    }
    assertThat(dashboards).containsAll(ELSEWHERE.keySet());
    assertThat(queries).hasSizeGreaterThan(150);

    List<String> ruleFiles = new ArrayList<>();
    for (ComponentRenderer r : ComponentRegistry.load().renderers()) {
      for (String file : r.component().ruleFiles()) {
        try (InputStream in = r.getClass().getResourceAsStream(file)) {
          assertThat(in).as(file).isNotNull();
          Files.write(dir.resolve(file), in.readAllBytes());
          ruleFiles.add(file);
        }
      }
    }
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-data\n    rules:\n");
    StringBuilder expected = new StringBuilder();
    StringBuilder legend = new StringBuilder();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      rules
          .append("      - record: dashboard_data:present\n")
          .append("        expr: '(clamp_max(count(")
          .append(q.expr().replace("'", "''"))
          .append("), 1) or vector(0))'\n")
          .append("        labels:\n          query: \"")
          .append(i)
          .append("\"\n");
      expected
          .append("          - labels: 'dashboard_data:present{query=\"")
          .append(i)
          .append("\"}'\n")
          .append("            value: 1\n");
      legend.append(i).append(" = ").append(q.where()).append(": ").append(q.expr()).append('\n');
    }
    Files.writeString(dir.resolve("dashboard-data.rules.yaml"), rules.toString());
    ruleFiles.add("dashboard-data.rules.yaml");

    String series;
    try (InputStream in = getClass().getResourceAsStream(SERIES)) {
      assertThat(in).as(SERIES).isNotNull();
      series = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder test = new StringBuilder("rule_files:\n");
    ruleFiles.forEach(f -> test.append("  - ").append(f).append('\n'));
    test.append("evaluation_interval: 1m\ntests:\n  - interval: 1m\n");
    for (String line : series.lines().toList()) {
      if (!line.startsWith("#")) {
        test.append("    ").append(line).append('\n');
      }
    }
    for (String more : componentSeries()) {
      for (String line : more.lines().toList()) {
        if (!line.startsWith("#") && !line.equals("input_series:") && !line.isBlank()) {
          test.append("    ").append(line).append('\n');
        }
      }
    }
    // Late enough for every 5m rate and for the recordings of the other groups.
    test.append(
            "    promql_expr_test:\n      - expr: dashboard_data:present\n        eval_time: 30m\n        exp_samples:\n")
        .append(expected);
    Path file = dir.resolve("dashboard-data.test.yaml");
    Files.writeString(file, test.toString());
    Tools.Run run =
        Tools.run(dir, 300, promtool.toString(), "test", "rules", file.getFileName().toString());
    assertThat(run.ok())
        .as("promtool test rules:\n" + run.output() + "\nqueries:\n" + legend)
        .isTrue();
    assertThat(run.output()).contains("SUCCESS");
  }

  /**
   * The series a component keeps beside its tests for its own dashboards ({@code
   * dev/vigil/render/<component>/dashboard-data.series.yaml}, an {@code input_series} list indented
   * as in the shared file), so a component added later feeds its panels without editing the shared
   * file.
   */
  private static List<String> componentSeries() throws IOException {
    Path root = Path.of("target", "test-classes", "dev", "vigil", "render");
    Path shared = root.resolve(SERIES.substring("/dev/vigil/render/".length()));
    List<String> out = new ArrayList<>();
    try (var files = Files.walk(root)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().equals("dashboard-data.series.yaml"))
              .filter(p -> !p.equals(shared))
              .sorted()
              .toList()) {
        String text = Files.readString(f);
        assertThat(text).as(f.toString()).contains("input_series:\n");
        out.add(text);
      }
    }
    return out;
  }
}
