package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL query of every dashboard, with template variables substituted, parsed by the real
 * promtool: each becomes the {@code expr} of a recording rule in a generated rule file, and {@code
 * promtool check rules} must accept the file.
 */
class DashboardPromQlIT {
  private static final Pattern LEFTOVER_VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_]");

  private static Path promtool;

  @TempDir Path dir;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  @Test
  void promtoolAcceptsEveryDashboardQuery() throws IOException {
    List<Query> prom =
        QueryCorpus.queries(QueryCorpus.all()).stream()
            .filter(q -> q.datasourceType().equals("prometheus"))
            .toList();
    assertThat(prom).hasSizeGreaterThan(40);
    for (Query q : prom) {
      assertThat(LEFTOVER_VARIABLE.matcher(q.expr()).find())
          .as(q.where() + " still has a variable after substitution: " + q.expr())
          .isFalse();
    }
    Map<String, Query> byRecord = new LinkedHashMap<>();
    for (Query q : prom) {
      byRecord.put("dashboard_query:" + byRecord.size(), q);
    }
    Path rules = writeRules(byRecord);
    Tools.Run run = Tools.run(dir, 60, promtool.toString(), "check", "rules", rules.toString());
    assertThat(run.ok())
        .as("promtool check rules failed:\n" + run.output() + "\nqueries:\n" + legend(byRecord))
        .isTrue();
    assertThat(run.output()).contains("SUCCESS: " + byRecord.size() + " rules found");
  }

  @Test
  void promtoolRejectsABrokenQuery() throws IOException {
    // Guards the test above: the generated file format must let promtool see query errors.
    Map<String, Query> broken = new LinkedHashMap<>();
    broken.put(
        "dashboard_query:0",
        new Query("broken", "panel", "A", "prometheus", "", "sum(rate(up[5m])"));
    Path rules = writeRules(broken);
    Tools.Run run = Tools.run(dir, 60, promtool.toString(), "check", "rules", rules.toString());
    assertThat(run.ok()).isFalse();
    assertThat(run.output()).contains("dashboard_query:0");
  }

  private Path writeRules(Map<String, Query> byRecord) throws IOException {
    StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    for (Map.Entry<String, Query> e : byRecord.entrySet()) {
      yaml.append("      - record: ").append(e.getKey()).append('\n');
      yaml.append("        expr: ").append(yamlString(e.getValue().expr())).append('\n');
      yaml.append("        labels:\n");
      yaml.append("          source: ").append(yamlString(e.getValue().where())).append('\n');
    }
    Path file = dir.resolve("dashboard-queries.rules.yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }

  /** A YAML single-quoted scalar: only the quote itself needs escaping. */
  private static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String legend(Map<String, Query> byRecord) {
    StringBuilder sb = new StringBuilder();
    byRecord.forEach(
        (k, q) ->
            sb.append(k)
                .append(" = ")
                .append(q.where())
                .append(": ")
                .append(q.expr())
                .append('\n'));
    return sb.toString();
  }
}
