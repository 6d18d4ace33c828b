package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.testing.grafana.GrafanaApiDouble;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Grafana checks against a test double of Grafana 12's HTTP API. */
class GrafanaChecksIT {
  private final Expectations ex = new Expectations(Stations.load("default"));
  private final ServiceHttp http = new ServiceHttp(Duration.ofSeconds(5));

  private GrafanaApiDouble provisioned() throws Exception {
    GrafanaApiDouble g = GrafanaApiDouble.start();
    for (ProvisionedDatasource d : ex.datasources()) {
      g.datasource(
          d.ref().uid(),
          d.displayName(),
          d.ref().type(),
          true,
          "Successfully queried the " + d.displayName() + " API.");
    }
    for (Dashboard d : ex.dashboards()) {
      g.dashboard(d.uid(), d.title());
    }
    return g;
  }

  private static Check find(List<Check> checks, String prefix) {
    return checks.stream()
        .filter(c -> c.check().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + prefix + " in " + checks));
  }

  @Test
  void theHomelabsAnonymousViewerCanCheckEverythingButTheDatasourceList() throws Exception {
    try (GrafanaApiDouble g = provisioned().anonymousViewer(true)) {
      List<Check> checks = GrafanaChecks.run(g.url(), ex, http, Map.of());
      assertThat(checks).extracting(Check::verdict).containsOnly(Verdict.PASS);
      assertThat(find(checks, "healthy").detail()).isEqualTo("Grafana 12.1.1");
      assertThat(checks)
          .filteredOn(c -> c.check().startsWith("datasource "))
          .hasSize(ex.datasources().size());
      assertThat(find(checks, "dashboards").measured())
          .isEqualTo(ex.dashboards().size() + " of " + ex.dashboards().size() + " present");
      assertThat(g.requests())
          .contains("GET /api/datasources", "GET /api/search?type=dash-db&limit=5000");
    }
  }

  @Test
  void anUnhealthyDatasourceAMissingOneAndAMissingDashboardFailWithGrafanasWords()
      throws Exception {
    try (GrafanaApiDouble g = GrafanaApiDouble.start().adminToken("sa-token")) {
      List<ProvisionedDatasource> ds = ex.datasources();
      g.datasource(
          ds.get(0).ref().uid(),
          ds.get(0).displayName(),
          ds.get(0).ref().type(),
          false,
          "Post \"http://prometheus.monitoring.svc.cluster.local:9090/api/v1/query\": dial tcp: connect: connection refused");
      for (int i = 2; i < ds.size(); i++) {
        g.datasource(
            ds.get(i).ref().uid(), ds.get(i).displayName(), ds.get(i).ref().type(), true, "ok");
      }
      List<Dashboard> dashboards = ex.dashboards();
      for (int i = 1; i < dashboards.size(); i++) {
        g.dashboard(dashboards.get(i).uid(), dashboards.get(i).title());
      }
      List<Check> checks =
          GrafanaChecks.run(g.url(), ex, http, Map.of("Authorization", "Bearer sa-token"));
      Check first = find(checks, "datasource " + ds.get(0).displayName());
      assertThat(first.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(first.measured()).isEqualTo("ERROR");
      assertThat(first.detail()).contains("connection refused");
      Check second = find(checks, "datasource " + ds.get(1).displayName());
      assertThat(second.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(second.measured()).isEqualTo("not provisioned");
      Check dash = find(checks, "dashboards");
      assertThat(dash.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(dash.detail())
          .isEqualTo(
              "missing: " + dashboards.get(0).uid() + " (" + dashboards.get(0).title() + ")");
    }
  }

  @Test
  void withoutALoginTheChecksSayWhatIsMissingInsteadOfFailing() throws Exception {
    try (GrafanaApiDouble g = provisioned()) {
      List<Check> checks = GrafanaChecks.run(g.url(), ex, http, Map.of());
      assertThat(find(checks, "healthy").verdict()).isEqualTo(Verdict.PASS);
      assertThat(find(checks, "datasource ").verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(find(checks, "dashboards").detail()).contains("VIGIL_GRAFANA_TOKEN");
    }
  }

  @Test
  void aFailingDatabaseIsUnhealthy() throws Exception {
    try (GrafanaApiDouble g = provisioned().databaseFailing(true)) {
      List<Check> checks = GrafanaChecks.run(g.url(), ex, http, Map.of());
      assertThat(checks)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
                assertThat(c.measured()).isEqualTo("database failing");
              });
    }
  }
}
