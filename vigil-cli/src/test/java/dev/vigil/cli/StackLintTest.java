package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.Finding;
import dev.vigil.lint.Report;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The render is held to lint's rules before it writes anything: every shipped station and its
 * variants lint clean, and the rules the render relies on (exposure, write APIs) catch the
 * regressions they exist for when the rendered objects are changed to contain them.
 */
class StackLintTest {
  private static final String POWER =
      "power:\n  enabled: true\n  controller: masternode\n  nodes:\n"
          + "    masternode: {sleepable: false}\n"
          + "    storagenodet3500:\n"
          + "      mac: 'b8:ac:6f:7e:6c:9d'\n"
          + "      address: 192.168.4.161\n"
          + "      idle: {checks: [{kind: load, threshold: 1.5}]}\n";

  private static Station defaultWith(String overlay) {
    List<Source> sources = new ArrayList<>();
    sources.add(new Source(SpecLoader.DEFAULT_NAME, SpecLoader.defaultText()));
    sources.add(new Source("overlay.yaml", overlay));
    return SpecLoader.load(sources).orThrow();
  }

  private static Station example(String name) {
    return SpecLoader.load(Repo.resolve("examples/" + name + "/vigil.yaml"), List.of()).orThrow();
  }

  private static List<String> findings(Report r) {
    return r.findings().stream()
        .map(f -> f.ruleId() + " " + f.source() + ":" + f.line() + " " + f.message())
        .toList();
  }

  @Test
  void everyExampleWithASpecIsFound() {
    // The shipped examples at the time of writing: finding fewer means the listing broke.
    assertThat(Examples.stations())
        .contains(
            "homelab",
            "production",
            "syslog-gateway",
            "vmstation",
            "llm-analytics-hub",
            "poc-cluster");
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.cli.Examples#stations")
  void exampleStationsLintClean(String name) {
    Station s = example(name);
    Report r = StackLint.run(s, new StackRenderer().render(s));
    assertThat(r.errors()).isEmpty();
    assertThat(findings(r)).isEmpty();
    assertThat(r.objects()).isGreaterThan(20);
  }

  /**
   * Optional parts off by default: power, traces, the platform edge, the control plane, identity,
   * probes, integrations and watched namespaces, the operator hand-over.
   */
  private static final List<String> VARIANTS =
      List.of(
          POWER,
          "components:\n  tempo: {enabled: true}\n"
              + "  otelCollector:\n    enabled: true\n    namespaces: [shop]\n    instrumentation: {enabled: true}\n"
              + "  ingressNginx: {enabled: true}\n  certManager: {enabled: true}\n"
              + "  kubernetes:\n    scheduler: true\n    controllerManager: true\n    etcd: true\n",
          "identity:\n  freeipa:\n    realm: VMSTATION.LOCAL\n"
              + "    adminPassword: {secret: {name: freeipa, key: admin-password}}\n"
              + "    ca: {secret: {name: freeipa-ca, key: ca.crt}}\n"
              + "    trustedNetworks: [192.168.4.0/24]\n"
              + "components:\n  blackboxExporter:\n    probes:\n"
              + "      - {name: router, module: tls, targets: ['192.168.4.1:443']}\n"
              + "integrations:\n  postgres:\n    - {name: shop-db, dsn: {secret: {name: shop-db-monitoring, key: dsn}}}\n"
              + "  redis:\n    - {name: sessions, address: 'redis.shop.svc:6379'}\n"
              + "  nginx:\n    - {name: shop, statusUrl: 'http://web.shop.svc:8080/stub_status'}\n"
              + "  kafka:\n    - {name: events, brokers: ['kafka-0.kafka.events.svc:9092']}\n"
              + "watch:\n  namespaces:\n    - {name: odoo, labels: {team: erp}}\n",
          "stack: prometheus-operator\n"
              + "components:\n  prometheusOperator: {namespace: kube-prometheus-stack, release: prom-stack}\n"
              + "  tempo: {enabled: true}\n  otelCollector: {enabled: true, namespaces: [odoo]}\n");

  @Test
  void defaultAndOptionalVariantsLintClean() {
    List<Station> stations = new ArrayList<>();
    stations.add(SpecLoader.loadDefault().orThrow());
    VARIANTS.forEach(v -> stations.add(defaultWith(v)));
    for (Station s : stations) {
      Report r = StackLint.run(s, new StackRenderer().render(s));
      assertThat(findings(r)).isEmpty();
    }
  }

  /** The rendered files of a station, changed by {@code edit} (file name, text → new text). */
  private static Report lintEdited(Station s, java.util.function.BinaryOperator<String> edit) {
    RenderedStack stack = new StackRenderer().render(s);
    Map<String, String> files = new TreeMap<>();
    stack.files().forEach((name, text) -> files.put(name, edit.apply(name, text)));
    assertThat(files).isNotEqualTo(stack.files());
    return StackLint.run(s, stack, files);
  }

  @Test
  void anIngressToPrometheusWithoutAuthFailsTheProductionRender() {
    Report r =
        lintEdited(
            example("production"),
            (name, text) ->
                name.contains("/ingress-")
                    ? text.replaceAll("(?m)^.*nginx.ingress.kubernetes.io/auth-.*\\n", "")
                    : text);
    List<String> exposed =
        r.findings().stream()
            .filter(f -> f.ruleId().equals("api-exposed-without-auth"))
            .map(Finding::message)
            .toList();
    assertThat(exposed)
        .anyMatch(m -> m.contains("reaches prometheus"))
        .anyMatch(m -> m.contains("reaches alertmanager"))
        .noneMatch(m -> m.contains("grafana"));
  }

  @Test
  void aLoadBalancerInFrontOfLokiFailsTheProductionRender() {
    Report r =
        lintEdited(
            example("production"),
            (name, text) ->
                name.equals("loki/service-loki.yaml")
                    ? text.replace("type: ClusterIP", "type: LoadBalancer")
                    : text);
    assertThat(findings(r))
        .anyMatch(f -> f.startsWith("api-exposed-without-auth ") && f.contains("exposes loki"));
  }

  @Test
  void theLifecycleApiFailsTheRenderInEveryProfile() {
    Report r =
        lintEdited(
            example("homelab"),
            (name, text) ->
                name.equals("prometheus/statefulset-prometheus.yaml")
                    ? text.replaceFirst(
                        "(?m)^(\\s*)- --config.file=",
                        "$1- --web.enable-lifecycle\n$1- --config.file=")
                    : text);
    assertThat(findings(r)).anyMatch(f -> f.startsWith("write-api-enabled "));
  }

  @Test
  void registriesTheSpecChoseAreAllowed() {
    assertThat(StackLint.registry("registry.example.com:5000/prometheus/prometheus:v3.5.0"))
        .isEqualTo("registry.example.com:5000");
    assertThat(StackLint.registry("grafana/grafana:12.1.1")).isEqualTo("docker.io");
    Station s =
        defaultWith("images:\n  prometheus: mirror.example.org/prometheus/prometheus:v3.5.0\n");
    Report r = StackLint.run(s, new StackRenderer().render(s));
    assertThat(r.config().registries()).contains("mirror.example.org");
    assertThat(findings(r)).isEmpty();
  }
}
