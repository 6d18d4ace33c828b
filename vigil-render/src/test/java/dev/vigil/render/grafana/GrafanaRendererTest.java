package dev.vigil.render.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrafanaRendererTest {
  private static Rendered homelab() {
    return Rendered.of(new GrafanaRenderer(), TestStations.defaults());
  }

  private static Rendered production() {
    return Rendered.of(new GrafanaRenderer(), TestStations.with(TestStations.PRODUCTION));
  }

  private static PodSpec pod(Rendered r) {
    return r.one(StatefulSet.class, "grafana").getSpec().getTemplate().getSpec();
  }

  @Test
  void datasourcesCarryTheUidsDashboardsUseTheDefaultFirst() {
    JsonNode ds = homelab().yaml("grafana-datasources", "datasources.yaml").path("datasources");
    List<String> uids = new ArrayList<>();
    ds.forEach(d -> uids.add(d.path("uid").asText()));
    assertThat(uids).containsExactly("prometheus", "alertmanager", "loki");
    assertThat(ds.get(0).path("isDefault").asBoolean()).isTrue();
    assertThat(ds.get(0).path("url").asText())
        .isEqualTo("http://prometheus.monitoring.svc.cluster.local:9090");
    assertThat(ds.get(2).has("secureJsonData"))
        .as("no tenant header while Loki is single-tenant")
        .isFalse();
  }

  @Test
  void inProductionTheLokiDatasourceNamesTheTenant() {
    JsonNode loki =
        production().yaml("grafana-datasources", "datasources.yaml").path("datasources").get(2);
    assertThat(loki.path("jsonData").path("httpHeaderName1").asText()).isEqualTo("X-Scope-OrgID");
    assertThat(loki.path("secureJsonData").path("httpHeaderValue1").asText())
        .isEqualTo("vmstation");
  }

  @Test
  void homelabLetsViewersInAnonymouslyProductionNeedsTheSsoLogin() {
    String home = homelab().text("grafana-config", "grafana.ini");
    assertThat(home)
        .contains("[auth.anonymous]\nenabled = true\norg_role = Viewer\n")
        .contains("cookie_secure = false");
    String prod = production().text("grafana-config", "grafana.ini");
    assertThat(prod)
        .contains("[auth.anonymous]\nenabled = false\n")
        .contains("cookie_secure = true")
        .contains("[auth.generic_oauth]")
        .contains("use_pkce = true")
        .contains("root_url = https://grafana.example.org/")
        .doesNotContain("client_secret =");
  }

  @Test
  void theAdminPasswordIsGeneratedOnFirstStartUnlessTheSpecNamesASecret() {
    PodSpec generated = pod(homelab());
    assertThat(generated.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("admin-password");
    EnvVar file =
        Rendered.container(generated.getContainers(), "grafana").getEnv().stream()
            .filter(e -> e.getName().equals("GF_SECURITY_ADMIN_PASSWORD__FILE"))
            .findFirst()
            .orElseThrow();
    assertThat(file.getValue()).isEqualTo(GrafanaRenderer.GENERATED_PASSWORD);

    PodSpec given =
        pod(
            Rendered.of(
                new GrafanaRenderer(),
                TestStations.with(
                    "components:\n  grafana:\n    auth:\n      adminPassword: {secret: {name: grafana-admin, key: password}}\n")));
    assertThat(given.getInitContainers()).isEmpty();
    assertThat(Rendered.container(given.getContainers(), "grafana").getEnv())
        .anyMatch(
            e ->
                e.getName().equals("GF_SECURITY_ADMIN_PASSWORD__FILE")
                    && e.getValue().equals("/etc/grafana/secrets/grafana-admin/password"));
    assertThat(given.getVolumes())
        .anyMatch(
            v -> v.getSecret() != null && v.getSecret().getSecretName().equals("grafana-admin"));
  }

  @Test
  void everyDashboardHasItsConfigMapAndIsMountedThroughOneProjectedVolume() {
    Rendered r = homelab();
    List<String> maps =
        r.all(ConfigMap.class).stream()
            .map(c -> c.getMetadata().getName())
            .filter(
                n -> n.startsWith("grafana-dashboard-") && !n.equals("grafana-dashboard-provider"))
            .toList();
    assertThat(maps).contains("grafana-dashboard-node-metrics", "grafana-dashboard-time-sync");
    var projected =
        pod(r).getVolumes().stream()
            .filter(v -> v.getName().equals("dashboards"))
            .findFirst()
            .orElseThrow();
    assertThat(projected.getProjected().getSources())
        .extracting(s -> s.getConfigMap().getName())
        .containsExactlyInAnyOrderElementsOf(maps);
  }
}
