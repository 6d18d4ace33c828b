package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import dev.vigil.render.rules.PromQlSelectors;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of every dashboard the default, homelab and production stations provision, including
 * dashboards components build from their spec: PromQL through the real {@code promtool check
 * rules}, LogQL through the structural {@link LogQlShape} check.
 */
class RenderedDashboardQueriesIT {
  private static final Pattern LEFTOVER_VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_]");

  private static Path promtool;
  private static Map<String, JsonNode> rendered;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    promtool = Tools.require("promtool", "prometheus");
    rendered = RenderedDashboards.all();
  }

  @Test
  void everyProvisionedDashboardIsChecked() {
    assertThat(rendered.keySet())
        .contains("default/cluster-overview.json", "homelab/node-metrics.json");
    for (Map.Entry<String, JsonNode> e : rendered.entrySet()) {
      assertThat(e.getValue().path("uid").asText()).as(e.getKey()).isNotBlank();
    }
  }

  @Test
  void promtoolAcceptsEveryRenderedPromQlQuery() throws IOException {
    List<Query> prom = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : rendered.entrySet()) {
      for (Query q : QueryCorpus.queries(e.getKey(), e.getValue())) {
        if (q.datasourceType().equals("prometheus")) {
          prom.add(q);
        }
      }
    }
    assertThat(prom).hasSizeGreaterThan(100);
    StringBuilder yaml = new StringBuilder("groups:\n  - name: rendered-dashboards\n    rules:\n");
    StringBuilder legend = new StringBuilder();
    for (int i = 0; i < prom.size(); i++) {
      Query q = prom.get(i);
      assertThat(LEFTOVER_VARIABLE.matcher(q.expr()).find())
          .as(q.where() + " still has a variable after substitution: " + q.expr())
          .isFalse();
      // Dashboards components build from their spec keep to the local cluster too (ADR 0010).
      assertThat(PromQlSelectors.of(q.expr()))
          .as(q.where() + ": every selector has cluster=\"\": " + q.expr())
          .allMatch(PromQlSelectors.Selector::local);
      yaml.append("      - record: dashboard_query:").append(i).append('\n');
      yaml.append("        expr: '").append(q.expr().replace("'", "''")).append("'\n");
      legend.append("dashboard_query:").append(i).append(" = ").append(q.where()).append('\n');
    }
    Path rules = dir.resolve("rendered-dashboards.rules.yaml");
    Files.writeString(rules, yaml.toString());
    Tools.Run run = Tools.run(dir, 60, promtool.toString(), "check", "rules", rules.toString());
    assertThat(run.ok()).as("promtool check rules:\n" + run.output() + "\n" + legend).isTrue();
    assertThat(run.output()).contains("SUCCESS: " + prom.size() + " rules found");
  }

  @Test
  void everyRenderedLogQlQueryIsWellFormed() {
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : rendered.entrySet()) {
      for (Query q : QueryCorpus.queries(e.getKey(), e.getValue())) {
        if (q.datasourceType().equals("loki")) {
          assertThat(LogQlShape.problems(q.expr())).as(q.where() + ": " + q.expr()).isEmpty();
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();
  }
}
