package dev.vigil.render.tempo;

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
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TempoRendererTest {
  static final String S3 =
      "components:\n  tempo:\n    enabled: true\n    backend: s3\n    s3:\n"
          + "      bucket: traces\n      endpoint: minio.storage.svc:9000\n      insecure: true\n"
          + "      accessKeyId: {secret: {name: tempo-s3, key: access-key-id}}\n"
          + "      secretAccessKey: {secret: {name: tempo-s3, key: secret-access-key}}\n";

  private static Rendered render(String... overlays) {
    String[] all = new String[overlays.length + 1];
    all[0] = TestStations.TRACES;
    System.arraycopy(overlays, 0, all, 1, overlays.length);
    return Rendered.of(new TempoRenderer(), TestStations.with(all));
  }

  @Test
  void offByDefault() {
    assertThat(new TempoRenderer().enabled(TestStations.defaults())).isFalse();
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey("tempo");
  }

  @Test
  void localBackendKeepsBlocksOnTheVolumeSizedAndRetainedAsTheSpecSays() {
    Rendered r =
        render(
            "components:\n  tempo:\n    retention: {time: 7d}\n    storage: {size: 40Gi, className: fast}\n");
    JsonNode c = r.yaml("tempo-config", "tempo.yaml");
    assertThat(c.path("storage").path("trace").path("backend").asText()).isEqualTo("local");
    assertThat(c.path("storage").path("trace").path("local").path("path").asText())
        .isEqualTo("/var/tempo/blocks");
    assertThat(c.path("compactor").path("compaction").path("block_retention").asText())
        .isEqualTo("168h");
    StatefulSet sts = r.one(StatefulSet.class, "tempo");
    var claim = sts.getSpec().getVolumeClaimTemplates().get(0).getSpec();
    assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("40Gi");
    assertThat(claim.getStorageClassName()).isEqualTo("fast");
    // The default retention is Tempo's own 14 days.
    assertThat(
            render()
                .yaml("tempo-config", "tempo.yaml")
                .path("compactor")
                .path("compaction")
                .path("block_retention")
                .asText())
        .isEqualTo("336h");
  }

  @Test
  void s3KeysComeFromTheSecretAndNeverReachTheConfig() {
    Rendered r = render(S3);
    String text = r.text("tempo-config", "tempo.yaml");
    assertThat(text).doesNotContain("access_key", "secret_key", "tempo-s3");
    JsonNode s3 = r.yaml("tempo-config", "tempo.yaml").path("storage").path("trace").path("s3");
    assertThat(s3.path("bucket").asText()).isEqualTo("traces");
    assertThat(s3.path("endpoint").asText()).isEqualTo("minio.storage.svc:9000");
    assertThat(s3.path("insecure").asBoolean()).isTrue();
    Container tempo =
        Rendered.container(
            r.one(StatefulSet.class, "tempo").getSpec().getTemplate().getSpec().getContainers(),
            "tempo");
    assertThat(tempo.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(tempo.getEnv().get(1).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("secret-access-key");
    // Egress to the store's port from anywhere, besides DNS and the pod itself.
    NetworkPolicy np = r.one(NetworkPolicy.class, "tempo");
    assertThat(np.getSpec().getEgress())
        .anySatisfy(
            e ->
                assertThat(e.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9000)));
    // Without keys, the pod's cloud identity is used: no variables at all.
    Rendered iam =
        render(
            "components:\n  tempo:\n    backend: s3\n    s3: {bucket: traces, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}\n");
    Container c =
        Rendered.container(
            iam.one(StatefulSet.class, "tempo").getSpec().getTemplate().getSpec().getContainers(),
            "tempo");
    assertThat(c.getEnv()).isEmpty();
    assertThat(iam.one(NetworkPolicy.class, "tempo").getSpec().getEgress())
        .anySatisfy(
            e ->
                assertThat(e.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(443)));
  }

  @Test
  void hardenedAndReachableOnlyFromTheCollectorGrafanaAndPrometheus() {
    Rendered r = render();
    var pod = r.one(StatefulSet.class, "tempo").getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container c = Rendered.container(pod.getContainers(), "tempo");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getArgs()).contains("-target=all");
    // Never exposed: the HTTP port also serves /flush and /shutdown.
    Service svc = r.one(Service.class, "tempo");
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(r.all(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class)).isEmpty();
    NetworkPolicy np = r.one(NetworkPolicy.class, "tempo");
    assertThat(np.getSpec().getIngress()).noneMatch(rule -> rule.getFrom().isEmpty());
    assertThat(peers(np, 4317)).containsExactly("otel-collector");
    assertThat(peers(np, 3200)).containsExactly("grafana", "prometheus");
    assertThat(np.getSpec().getPolicyTypes()).contains("Egress");
  }

  @Test
  void theDatasourcePointsAtTheServiceAndStreamsOverHttp() {
    var ctx = TestStations.context(TestStations.with(TestStations.TRACES));
    var ds = new TempoRenderer().datasources(ctx).get(0);
    assertThat(ds.ref().uid()).isEqualTo("tempo");
    assertThat(ds.url()).isEqualTo("http://tempo.monitoring.svc.cluster.local:3200");
    assertThat(
            render()
                .yaml("tempo-config", "tempo.yaml")
                .path("stream_over_http_enabled")
                .asBoolean())
        .isTrue();
  }

  /** Tempo parses its file strictly: every rendered key must be one the pinned version defines. */
  @Test
  void everyRenderedKeyIsOneThePinnedVersionDefines() throws Exception {
    ImageContract contract = Contracts.load().byName("tempo").orElseThrow();
    Set<String> known = new TreeSet<>();
    contract.configKeys().forEach(k -> known.add(k.path()));
    for (String overlay :
        List.of(
            "components: {}\n",
            S3,
            "components:\n  tempo:\n    backend: s3\n    s3: {bucket: b, endpoint: e.example, region: r, prefix: p}\n")) {
      for (String station : List.of("", TestStations.PRODUCTION)) {
        var stack =
            new StackRenderer()
                .render(
                    station.isEmpty()
                        ? TestStations.with(TestStations.TRACES, overlay)
                        : TestStations.with(station, TestStations.TRACES, overlay));
        ConfigMap cm =
            (ConfigMap)
                stack.components().get("tempo").objects().stream()
                    .filter(
                        o ->
                            o instanceof ConfigMap
                                && o.getMetadata().getName().equals("tempo-config"))
                    .findFirst()
                    .orElseThrow();
        Set<String> rendered = new TreeSet<>();
        flatten("", Yaml.mapper().readTree(cm.getData().get("tempo.yaml")), rendered);
        rendered.removeAll(known);
        assertThat(rendered)
            .as("tempo.yaml keys Tempo %s does not define", contract.tag())
            .isEmpty();
      }
    }
  }

  @Test
  void spanMetricsAreRemoteWrittenToEveryPrometheusReplica() {
    JsonNode c = render(TestStations.PRODUCTION).yaml("tempo-config", "tempo.yaml");
    JsonNode rw = c.path("metrics_generator").path("storage").path("remote_write");
    assertThat(rw)
        .extracting(n -> n.path("url").asText())
        .containsExactly(
            "http://prometheus-0.prometheus-headless.monitoring.svc:9090/api/v1/write",
            "http://prometheus-1.prometheus-headless.monitoring.svc:9090/api/v1/write");
    assertThat(c.path("metrics_generator").path("storage").path("path").asText())
        .isEqualTo("/var/tempo/generator/wal");
    assertThat(
            c.path("overrides")
                .path("defaults")
                .path("metrics_generator")
                .path("processors")
                .toString())
        .isEqualTo("[\"service-graphs\",\"span-metrics\"]");
    JsonNode off =
        render("components:\n  tempo: {metricsGenerator: false}\n")
            .yaml("tempo-config", "tempo.yaml");
    assertThat(off.has("metrics_generator")).isFalse();
    assertThat(off.path("overrides").path("defaults").has("metrics_generator")).isFalse();
    // Without Prometheus there is nowhere to write.
    JsonNode noProm =
        render("components:\n  prometheus: {enabled: false}\n").yaml("tempo-config", "tempo.yaml");
    assertThat(noProm.has("metrics_generator")).isFalse();
  }

  @Test
  void theDatasourceLinksTracesToLogsAndMetrics() {
    var ds =
        new TempoRenderer()
            .datasources(TestStations.context(TestStations.with(TestStations.TRACES)))
            .get(0);
    @SuppressWarnings("unchecked")
    var logs = (java.util.Map<String, Object>) ds.jsonData().get("tracesToLogsV2");
    assertThat(logs).containsEntry("datasourceUid", "loki").containsEntry("filterByTraceID", true);
    @SuppressWarnings("unchecked")
    var metrics = (java.util.Map<String, Object>) ds.jsonData().get("tracesToMetrics");
    assertThat(metrics).containsEntry("datasourceUid", "prometheus");
    assertThat(metrics.get("queries").toString())
        .contains("traces_spanmetrics_calls_total{$$__tags, cluster=\"\"}");
    assertThat(ds.jsonData().get("serviceMap"))
        .isEqualTo(java.util.Map.of("datasourceUid", "prometheus"));
    var noGenerator =
        new TempoRenderer()
            .datasources(
                TestStations.context(
                    TestStations.with(
                        TestStations.TRACES, "components:\n  tempo: {metricsGenerator: false}\n")))
            .get(0);
    assertThat(noGenerator.jsonData()).doesNotContainKeys("tracesToMetrics", "serviceMap");
  }

  @Test
  void badStorageSettingsAreLocatedErrors() {
    assertThat(problems("components:\n  tempo:\n    enabled: true\n    backend: s3\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.tempo.s3")
                    .contains("backend s3 needs the object store"));
    assertThat(problems("components:\n  tempo:\n    retention: {size: 10Gi}\n"))
        .anySatisfy(
            p -> assertThat(p).contains("components.tempo.retention.size").contains("time only"));
    assertThat(
            problems(
                "components:\n  tempo:\n    backend: s3\n    s3: {bucket: b, endpoint: 'https://s3.example'}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.tempo.s3.endpoint")
                    .contains("without a scheme"));
    assertThat(
            problems(
                "components:\n  tempo:\n    backend: s3\n    s3: {bucket: b, endpoint: s3.example,"
                    + " accessKeyId: {secret: {name: s, key: k}}}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.tempo.s3")
                    .contains("set both accessKeyId and secretAccessKey"));
    assertThat(
            problems(
                "components:\n  tempo:\n    backend: s3\n    s3: {bucket: b, endpoint: s3.example,"
                    + " accessKeyId: {env: KEY}, secretAccessKey: {env: SECRET}}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.tempo.s3.accessKeyId")
                    .contains("Kubernetes Secrets"));
  }

  private static List<String> problems(String overlay) {
    var result =
        SpecLoader.load(
            List.of(
                new Source(SpecLoader.DEFAULT_NAME, SpecLoader.defaultText()),
                new Source("overlay.yaml", overlay)));
    return result.problems().stream().map(Problem::toString).toList();
  }

  private static List<String> peers(NetworkPolicy np, int port) {
    return np.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
        .map(NetworkPolicyIngressRule::getFrom)
        .flatMap(List::stream)
        .map(p -> p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
        .toList();
  }

  private static void flatten(String prefix, JsonNode node, Set<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  flatten(
                      prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                      f.getValue(),
                      out));
    } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      node.forEach(n -> flatten(prefix + "[]", n, out));
    } else {
      out.add(prefix);
    }
  }
}
