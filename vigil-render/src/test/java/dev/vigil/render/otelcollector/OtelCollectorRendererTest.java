package dev.vigil.render.otelcollector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Rendered;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OtelCollectorRendererTest {
  private static Rendered render(String... overlays) {
    return Rendered.of(new OtelCollectorRenderer(), TestStations.with(overlays));
  }

  private static JsonNode config(Rendered r) {
    return r.yaml("otel-collector-config", "config.yaml");
  }

  @Test
  void offByDefault() {
    assertThat(new OtelCollectorRenderer().enabled(TestStations.defaults())).isFalse();
  }

  @Test
  void eachSignalGoesWhereItsStoreIsWithMemoryLimitAndBatchingFirst() {
    JsonNode c = config(render(TestStations.TRACES));
    JsonNode pipelines = c.path("service").path("pipelines");
    assertThat(pipelines.path("traces").path("exporters").get(0).asText())
        .isEqualTo("otlp_grpc/tempo");
    assertThat(pipelines.path("logs").path("exporters").get(0).asText())
        .isEqualTo("otlp_http/loki");
    assertThat(pipelines.path("metrics").path("exporters").get(0).asText())
        .isEqualTo("otlp_http/prometheus-0");
    for (String signal : List.of("traces", "logs", "metrics")) {
      assertThat(pipelines.path(signal).path("processors").toString())
          .isEqualTo("[\"memory_limiter\",\"batch\"]");
    }
    JsonNode ex = c.path("exporters");
    assertThat(ex.path("otlp_grpc/tempo").path("endpoint").asText())
        .isEqualTo("tempo.monitoring.svc.cluster.local:4317");
    assertThat(ex.path("otlp_http/loki").path("endpoint").asText())
        .isEqualTo("http://loki.monitoring.svc.cluster.local:3100/otlp");
    // Homelab Loki is single-tenant: no tenant header.
    assertThat(ex.path("otlp_http/loki").has("headers")).isFalse();
    assertThat(ex.path("otlp_http/prometheus-0").path("endpoint").asText())
        .isEqualTo("http://prometheus-0.prometheus-headless.monitoring.svc:9090/api/v1/otlp");
    assertThat(
            c.path("receivers")
                .path("otlp")
                .path("protocols")
                .path("grpc")
                .path("endpoint")
                .asText())
        .isEqualTo("0.0.0.0:4317");
  }

  @Test
  void productionNamesTheLokiTenantAndWritesToEveryPrometheusReplica() {
    JsonNode c = config(render(TestStations.PRODUCTION, TestStations.TRACES));
    assertThat(
            c.path("exporters")
                .path("otlp_http/loki")
                .path("headers")
                .path("X-Scope-OrgID")
                .asText())
        .isEqualTo("vmstation");
    assertThat(c.path("service").path("pipelines").path("metrics").path("exporters").toString())
        .isEqualTo("[\"otlp_http/prometheus-0\",\"otlp_http/prometheus-1\"]");
    assertThat(
            render(TestStations.PRODUCTION, TestStations.TRACES)
                .one(Deployment.class, "otel-collector")
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }

  @Test
  void noPipelineForAStoreThatIsNotThere() {
    JsonNode c =
        config(render("components:\n  otelCollector: {enabled: true}\n  loki: {enabled: false}\n"));
    assertThat(c.path("service").path("pipelines").has("traces")).isFalse();
    assertThat(c.path("service").path("pipelines").has("logs")).isFalse();
    assertThat(c.path("service").path("pipelines").has("metrics")).isTrue();
  }

  /** Prometheus can scrape the telemetry, and the names stay the ones the rules are written for. */
  @Test
  void telemetryIsReachableWithTheDocumentedNames() {
    JsonNode prom =
        config(render(TestStations.TRACES))
            .path("service")
            .path("telemetry")
            .path("metrics")
            .path("readers")
            .get(0)
            .path("pull")
            .path("exporter")
            .path("prometheus");
    assertThat(prom.path("host").asText()).isEqualTo("0.0.0.0");
    assertThat(prom.path("port").asInt()).isEqualTo(8888);
    assertThat(prom.path("without_type_suffix").asBoolean()).isTrue();
    assertThat(prom.path("without_units").asBoolean()).isTrue();
  }

  @Test
  void hardenedAndReachableFromTheNamedNamespacesOnly() {
    Rendered r = render(TestStations.TRACES);
    var pod = r.one(Deployment.class, "otel-collector").getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container c = Rendered.container(pod.getContainers(), "otel-collector");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    NetworkPolicy np = r.one(NetworkPolicy.class, "otel-collector");
    List<String> namespaces = new ArrayList<>();
    np.getSpec()
        .getIngress()
        .get(0)
        .getFrom()
        .forEach(
            p ->
                namespaces.add(
                    p.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")));
    assertThat(namespaces).containsExactly("monitoring", "shop");
    assertThat(np.getSpec().getEgress())
        .extracting(e -> e.getPorts().get(0).getPort().getIntVal())
        .containsExactly(53, 4317, 3100, 9090);
  }

  /** One Instrumentation per namespace, each in a file of its own (they share a name). */
  @Test
  void severalInstrumentedNamespacesRenderToFilesOfTheirOwn() {
    var stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "components:\n  otelCollector:\n    enabled: true\n    namespaces: [odoo, keycloak]\n"
                        + "    instrumentation: {enabled: true}\n"));
    assertThat(stack.files().keySet())
        .contains(
            "otel-collector/instrumentation-vigil-odoo.yaml",
            "otel-collector/instrumentation-vigil-keycloak.yaml");
    assertThat(stack.files().get("otel-collector/kustomization.yaml"))
        .contains("instrumentation-vigil-odoo.yaml", "instrumentation-vigil-keycloak.yaml")
        .contains("deployment-otel-collector.yaml");
  }

  @Test
  void instrumentationPointsTheAgentsAtTheHttpPort() {
    Rendered r = render(TestStations.TRACES);
    List<GenericKubernetesResource> inst = r.all(GenericKubernetesResource.class);
    assertThat(inst)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKind()).isEqualTo("Instrumentation");
              assertThat(i.getApiVersion()).isEqualTo("opentelemetry.io/v1alpha1");
              assertThat(i.getMetadata().getNamespace()).isEqualTo("shop");
              @SuppressWarnings("unchecked")
              Map<String, Object> spec =
                  (Map<String, Object>) i.getAdditionalProperties().get("spec");
              assertThat(spec.get("exporter"))
                  .isEqualTo(
                      Map.of(
                          "endpoint", "http://otel-collector.monitoring.svc.cluster.local:4318"));
              assertThat(spec.get("sampler"))
                  .isEqualTo(Map.of("type", "parentbased_traceidratio", "argument", "1.0"));
            });
    assertThat(
            render("components:\n  otelCollector: {enabled: true, namespaces: [shop]}\n")
                .all(GenericKubernetesResource.class))
        .isEmpty();
    assertThat(OtelCollectorRenderer.ratio(0.25)).isEqualTo("0.25");
    assertThat(OtelCollectorRenderer.ratio(1)).isEqualTo("1.0");
  }

  /** The collector refuses unknown keys: every rendered key must be one the contract records. */
  @Test
  void everyRenderedKeyIsOneThePinnedVersionDefines() throws Exception {
    ImageContract contract = Contracts.load().byName("otel-collector").orElseThrow();
    Set<String> known = new TreeSet<>();
    contract.configKeys().forEach(k -> known.add(k.path()));
    for (String station : List.of("", TestStations.PRODUCTION)) {
      var stack =
          new StackRenderer()
              .render(
                  station.isEmpty()
                      ? TestStations.with(TestStations.TRACES)
                      : TestStations.with(station, TestStations.TRACES));
      ConfigMap cm =
          (ConfigMap)
              stack.components().get("otel-collector").objects().stream()
                  .filter(
                      o ->
                          o instanceof ConfigMap
                              && o.getMetadata().getName().equals("otel-collector-config"))
                  .findFirst()
                  .orElseThrow();
      Set<String> rendered = new TreeSet<>();
      flatten("", Yaml.mapper().readTree(cm.getData().get("config.yaml")), rendered);
      rendered.removeAll(known);
      assertThat(rendered)
          .as("config.yaml keys collector %s does not define", contract.tag())
          .isEmpty();
    }
  }

  @Test
  void badSettingsAreLocatedErrors() {
    assertThat(
            problems(
                "components:\n  otelCollector:\n    enabled: true\n    instrumentation: {enabled: true}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.otelCollector.instrumentation.enabled")
                    .contains("namespaces"));
    assertThat(problems("components:\n  otelCollector:\n    namespaces: [Shop, shop, shop]\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.otelCollector.namespaces[0]")
                    .contains("DNS label"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.otelCollector.namespaces[2]")
                    .contains("duplicate"));
    assertThat(
            problems("components:\n  otelCollector:\n    instrumentation: {samplingRatio: 1.5}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.otelCollector.instrumentation.samplingRatio")
                    .contains("0 to 1"));
  }

  private static List<String> problems(String overlay) {
    var result =
        SpecLoader.load(
            List.of(
                new Source(SpecLoader.DEFAULT_NAME, SpecLoader.defaultText()),
                new Source("overlay.yaml", overlay)));
    return result.problems().stream().map(Problem::toString).toList();
  }

  /**
   * Keys as the contract writes them: component ids lose their name ("otlp_http/loki" is an
   * otlp_http exporter), the pipelines are one key, and list items are "[]".
   */
  private static void flatten(String prefix, JsonNode node, Set<String> out) {
    if (prefix.equals("service.pipelines")
        || prefix.startsWith("exporters.otlp_http") && prefix.endsWith(".headers")) {
      out.add(prefix);
      return;
    }
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f -> {
                String key =
                    f.getKey().contains("/")
                        ? f.getKey().substring(0, f.getKey().indexOf('/'))
                        : f.getKey();
                flatten(prefix.isEmpty() ? key : prefix + "." + key, f.getValue(), out);
              });
    } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      node.forEach(n -> flatten(prefix + "[]", n, out));
    } else {
      out.add(prefix);
    }
  }
}
