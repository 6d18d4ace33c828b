package dev.vigil.render.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Datasources;
import dev.vigil.spec.model.Station;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PowerRendererTest {
  public static final String POWER =
      "power:\n  enabled: true\n  controller: masternode\n  nodes:\n"
          + "    masternode: {sleepable: false}\n"
          + "    storagenodet3500:\n"
          + "      mac: 'b8:ac:6f:7e:6c:9d'\n"
          + "      address: 192.168.4.161\n"
          + "      idle: {checks: [{kind: load, threshold: 1.5}]}\n";

  @Test
  void offByDefault() {
    assertThat(new PowerRenderer().enabled(TestStations.defaults())).isFalse();
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey("power");
  }

  @Test
  void rendersNoObjectsButRulesDashboardAndScrapeJobReachTheStack() {
    Station s = TestStations.with(POWER);
    RenderedStack stack = new StackRenderer().render(s);
    ComponentOutput power = stack.components().get("power");
    assertThat(power).isNotNull();
    assertThat(power.objects()).isEmpty();
    Map<String, String> files = stack.files();
    // The layout writer skips an empty component: no directory, no dangling kustomization entry.
    assertThat(files.keySet()).noneMatch(f -> f.startsWith("power/"));
    assertThat(files.get("kustomization.yaml")).doesNotContain("- power");
    String rules =
        files.entrySet().stream()
            .filter(e -> e.getKey().startsWith("prometheus/configmap-prometheus-rules"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElseThrow();
    assertThat(rules).contains("power.rules.yaml", "PowerNodeFailedToWake");
    String config =
        files.entrySet().stream()
            .filter(e -> e.getKey().startsWith("prometheus/configmap-prometheus-config"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElseThrow();
    assertThat(config).contains("vigil-agent-host", "192.168.4.63:9464");
    String dashboards =
        String.join(
            "\n",
            files.entrySet().stream()
                .filter(e -> e.getKey().startsWith("grafana/"))
                .map(Map.Entry::getValue)
                .toList());
    assertThat(dashboards).contains("vigil_power_node_state");
  }

  @Test
  void powerDashboardUsesThePowerManagersMetrics() {
    Dashboard d =
        new PowerRenderer().dashboards(TestStations.context(TestStations.with(POWER))).get(0);
    assertThat(d.title()).isEqualTo("Power");
    for (Dashboard.Placed p : d.panels()) {
      assertThat(p.panel().datasource().uid()).isEqualTo(Datasources.PROMETHEUS_UID);
      assertThat(p.panel().targets()).allSatisfy(t -> assertThat(t.expr()).isNotBlank());
    }
    assertThat(d.toJson())
        .contains(
            "vigil_power_node_state",
            "vigil_power_wake_latency_seconds",
            "vigil_power_wakes_total",
            "vigil_power_wakes_suppressed_total",
            "vigil_power_check_verdict",
            "vigil_power_node_idle_seconds");
  }
}
