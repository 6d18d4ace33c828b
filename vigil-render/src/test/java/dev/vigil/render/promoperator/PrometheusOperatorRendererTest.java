package dev.vigil.render.promoperator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A station in prometheus-operator mode, as seed 004 runs it (kube-prometheus-stack, Tempo, the
 * collector instrumenting three namespaces): no Prometheus, Alertmanager or Grafana of Vigil's, and
 * what each component brings to them in the operator's and the sidecars' objects.
 */
class PrometheusOperatorRendererTest {
  static final String OPERATOR =
      "stack: prometheus-operator\n"
          + "components:\n  prometheusOperator: {namespace: kube-prometheus-stack, release: prom-stack}\n"
          + "  tempo: {enabled: true}\n"
          + "  otelCollector: {enabled: true, namespaces: [odoo, keycloak, jips], instrumentation: {enabled: true}}\n"
          + "alerting:\n  receivers:\n    - name: slack\n      slack: {apiUrl: {secret: {name: alertmanager-slack, key: url}}, channel: '#monitoring'}\n"
          + "  routes:\n    - {severity: critical, receiver: slack}\n";

  private static final RenderedStack STACK =
      new StackRenderer().render(TestStations.with(OPERATOR));

  private static List<GenericKubernetesResource> kind(String kind) {
    return STACK.components().get("prometheus-operator").objects().stream()
        .filter(o -> o instanceof GenericKubernetesResource g && g.getKind().equals(kind))
        .map(GenericKubernetesResource.class::cast)
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @Test
  void vigilRendersNoPrometheusAlertmanagerOrGrafanaOfItsOwn() {
    assertThat(STACK.components()).doesNotContainKeys("prometheus", "alertmanager", "grafana");
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey("prometheus-operator");
  }

  /** Everything the operator reads carries the release label its selectors match. */
  @Test
  void everyObjectIsInTheOperatorsNamespaceWithItsReleaseLabel() {
    for (HasMetadata o : STACK.components().get("prometheus-operator").objects()) {
      assertThat(o.getMetadata().getNamespace())
          .as(o.getKind() + " " + o.getMetadata().getName())
          .isEqualTo("kube-prometheus-stack");
      if (o instanceof GenericKubernetesResource) {
        assertThat(o.getMetadata().getLabels())
            .as(o.getMetadata().getName())
            .containsEntry("release", "prom-stack");
      }
    }
  }

  /** One monitor per scrape job the components bring, under the job's own name. */
  @Test
  void everyScrapeJobBecomesAMonitor() {
    Set<String> jobs = new TreeSet<>();
    STACK
        .contributions()
        .scrapeJobs()
        .values()
        .forEach(l -> l.forEach(j -> jobs.add(String.valueOf(j.get("job_name")))));
    Set<String> monitors = new TreeSet<>();
    for (String k : List.of("PodMonitor", "ServiceMonitor", "ScrapeConfig")) {
      kind(k).forEach(m -> monitors.add(m.getMetadata().getName()));
    }
    assertThat(monitors).isEqualTo(jobs);
    GenericKubernetesResource loki =
        kind("PodMonitor").stream()
            .filter(m -> m.getMetadata().getName().equals("loki"))
            .findFirst()
            .orElseThrow();
    assertThat(spec(loki).get("selector"))
        .isEqualTo(Map.of("matchLabels", Map.of("app.kubernetes.io/name", "loki")));
    assertThat(spec(loki).get("namespaceSelector"))
        .isEqualTo(Map.of("matchNames", List.of("monitoring")));
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint =
        ((List<Map<String, Object>>) spec(loki).get("podMetricsEndpoints")).get(0);
    assertThat(endpoint.get("port")).isEqualTo("http");
    // The rules select job="loki": the relabeling that sets it survives the translation.
    assertThat(endpoint.get("relabelings").toString())
        .contains("targetLabel=job", "replacement=loki");
    GenericKubernetesResource cadvisor =
        kind("ServiceMonitor").stream()
            .filter(m -> m.getMetadata().getName().equals("cadvisor"))
            .findFirst()
            .orElseThrow();
    assertThat(spec(cadvisor).get("endpoints").toString())
        .contains("path=/metrics/cadvisor", "bearerTokenFile=");
  }

  /** A PrometheusRule per rule file, holding exactly the file's groups. */
  @Test
  void ruleGroupsEqualTheRuleFiles() throws Exception {
    Map<String, String> files = STACK.contributions().allRuleFiles();
    assertThat(kind("PrometheusRule")).hasSize(files.size());
    for (Map.Entry<String, String> f : files.entrySet()) {
      String name = "vigil-" + f.getKey().replace(".rules.yaml", "");
      GenericKubernetesResource rule =
          kind("PrometheusRule").stream()
              .filter(r -> r.getMetadata().getName().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name));
      Map<String, Object> file =
          Yaml.mapper().readValue(f.getValue(), new TypeReference<Map<String, Object>>() {});
      assertThat(spec(rule).get("groups")).as(f.getKey()).isEqualTo(file.get("groups"));
    }
    assertThat(files)
        .containsKeys("tempo.rules.yaml", "otel-collector.rules.yaml", "loki.rules.yaml");
  }

  @Test
  void dashboardsAndDatasourcesCarryTheSidecarLabels() {
    List<ConfigMap> maps =
        STACK.components().get("prometheus-operator").objects().stream()
            .filter(o -> o instanceof ConfigMap)
            .map(ConfigMap.class::cast)
            .toList();
    Set<String> dashboards =
        maps.stream()
            .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard")))
            .map(c -> c.getMetadata().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected =
        STACK.contributions().allDashboards().stream()
            .map(d -> "vigil-dashboard-" + d.uid())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(dashboards)
        .isEqualTo(expected)
        .contains("vigil-dashboard-tempo", "vigil-dashboard-otel-collector");
    ConfigMap ds =
        maps.stream()
            .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_datasource")))
            .findFirst()
            .orElseThrow();
    assertThat(ds.getData().get("vigil-datasources.yaml"))
        .contains("uid: loki", "uid: tempo")
        .doesNotContain("uid: prometheus");
  }

  @Test
  void theSpecsRoutingBecomesAnAlertmanagerConfig() {
    GenericKubernetesResource amc = kind("AlertmanagerConfig").get(0);
    assertThat(spec(amc).get("receivers").toString())
        .contains("name=slack", "apiURL={name=alertmanager-slack, key=url}");
    assertThat(spec(amc).get("route").toString())
        .contains("receiver=null", "matchers=[{name=severity, value=critical, matchType==}]");
  }

  @Test
  void writersAreOffWithANoteWhereVigilDoesNotOwnPrometheus() {
    assertThat(STACK.components().get("prometheus-operator").notes())
        .anySatisfy(n -> assertThat(n).contains("enableRemoteWriteReceiver"));
    assertThat(
            STACK.components().get("tempo").objects().stream()
                .map(Yaml::write)
                .collect(Collectors.joining()))
        .doesNotContain("remote_write");
  }
}
