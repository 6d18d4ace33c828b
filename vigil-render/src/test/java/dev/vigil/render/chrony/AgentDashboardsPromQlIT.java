package dev.vigil.render.chrony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderContext;
import dev.vigil.render.TestStations;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Target;
import dev.vigil.render.power.PowerRenderer;
import dev.vigil.render.syslog.SyslogGatewayRenderer;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the Time sync, Syslog and Power dashboards parsed by the real promtool, each as
 * the expression of a recording rule.
 */
class AgentDashboardsPromQlIT {
  static Path promtool;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    promtool = Tools.require("promtool", "prometheus");
  }

  static List<String> queries() {
    RenderContext ctx = TestStations.context(TestStations.with("power:\n  enabled: true\n"));
    List<Dashboard> dashboards = new ArrayList<>();
    dashboards.addAll(new ChronyRenderer().dashboards(ctx));
    dashboards.addAll(new SyslogGatewayRenderer().dashboards(ctx));
    dashboards.addAll(new PowerRenderer().dashboards(ctx));
    assertThat(dashboards)
        .extracting(Dashboard::title)
        .containsExactly("Time sync", "Syslog", "Power");
    List<String> exprs = new ArrayList<>();
    for (Dashboard d : dashboards) {
      for (Dashboard.Placed p : d.panels()) {
        for (Target t : p.panel().targets()) {
          assertThat(t.isPrometheus()).as(p.panel().title()).isTrue();
          exprs.add(t.expr());
        }
      }
    }
    return exprs;
  }

  private Tools.Run check(List<String> exprs) throws IOException {
    StringBuilder b = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      b.append("      - record: dashboard_query:").append(i).append('\n');
      b.append("        expr: '").append(exprs.get(i).replace("'", "''")).append("'\n");
    }
    Path file = dir.resolve("dashboards.rules.yaml");
    Files.writeString(file, b.toString());
    return Tools.run(dir, 60, promtool.toString(), "check", "rules", file.toString());
  }

  @Test
  void promtoolAcceptsEveryQuery() throws IOException {
    List<String> exprs = queries();
    assertThat(exprs).hasSizeGreaterThan(30);
    Tools.Run run = check(exprs);
    assertThat(run.ok()).as(run.output() + "\n" + String.join("\n", exprs)).isTrue();
    assertThat(run.output()).contains("SUCCESS: " + exprs.size() + " rules found");
  }

  @Test
  void promtoolRejectsABrokenQuery() throws IOException {
    assertThat(check(List.of("sum by (node (vigil_power_node_state)")).ok()).isFalse();
  }
}
