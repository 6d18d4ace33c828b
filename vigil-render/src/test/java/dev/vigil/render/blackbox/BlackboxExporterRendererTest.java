package dev.vigil.render.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BlackboxExporterRendererTest {
  static final String PROBES =
      "components:\n  blackboxExporter:\n    probes:\n"
          + "      - name: ipa-ldaps\n        module: ldaps\n        targets: ['ipa.vmstation.local:636']\n"
          + "        ca: {secret: {name: freeipa-ca, key: ca.crt}}\n        labels: {service: freeipa}\n"
          + "      - name: ipa-web\n        module: https\n        targets: ['https://ipa.vmstation.local/']\n"
          + "        ca: {secret: {name: freeipa-ca, key: ca.crt}}\n"
          + "      - name: kdc\n        module: tcp\n        targets: ['ipa.vmstation.local:88']\n";

  private static RenderedStack render(String... overlays) {
    return new StackRenderer().render(TestStations.with(overlays));
  }

  private static List<HasMetadata> objects(RenderedStack stack) {
    return stack.components().get(BlackboxExporterRenderer.NAME).objects();
  }

  @Test
  void offByDefaultAndOnWithProbes() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(BlackboxExporterRenderer.NAME);
    assertThat(render(PROBES).components()).containsKey(BlackboxExporterRenderer.NAME);
    assertThat(render("components:\n  blackboxExporter:\n    enabled: true\n").components())
        .containsKey(BlackboxExporterRenderer.NAME);
  }

  @Test
  void everyKindHasAModuleAndEachProbeWithACaItsOwn() throws Exception {
    ConfigMap cm =
        (ConfigMap)
            objects(render(PROBES)).stream()
                .filter(o -> o instanceof ConfigMap)
                .findFirst()
                .orElseThrow();
    JsonNode modules = Yaml.mapper().readTree(cm.getData().get("blackbox.yml")).path("modules");
    List<String> names = new java.util.ArrayList<>();
    modules.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "tcp", "tls", "http", "https", "ldap", "ldaps", "ldaps-ipa-ldaps", "https-ipa-web");
    assertThat(
            modules.path("ldaps-ipa-ldaps").path("tcp").path("tls_config").path("ca_file").asText())
        .isEqualTo("/etc/blackbox-exporter/ca/freeipa-ca/ca.crt");
    assertThat(modules.path("https-ipa-web").path("http").path("fail_if_not_ssl").asBoolean())
        .isTrue();
    // The LDAP request survives YAML: the bytes the exporter sends are the BER compare request.
    JsonNode exchange = modules.path("ldap").path("tcp").path("query_response");
    assertThat(exchange.get(0).path("send").asText())
        .isEqualTo(BlackboxExporterRenderer.LDAP_COMPARE);
    assertThat(
            exchange.get(0).path("send").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hasSize(29)
        .startsWith(0x30, 0x1b, 0x02, 0x01, 0x01, 0x6e);
    assertThat(exchange.get(1).path("expect").asText()).isEqualTo("\\x02\\x01\\x01o");
  }

  @Test
  void oneProbeJobWhoseTargetsCarryProbeModuleAndLabels() {
    List<Map<String, Object>> jobs =
        render(PROBES).contributions().scrapeJobs().get(BlackboxExporterRenderer.NAME);
    assertThat(jobs)
        .extracting(j -> j.get("job_name"))
        .containsExactly("blackbox-exporter", "blackbox");
    String job = Yaml.write(jobs.get(1));
    assertThat(job)
        .contains(
            "metrics_path: /probe",
            "__param_module: ldaps-ipa-ldaps",
            "service: freeipa",
            "probe: kdc",
            "__param_module: tcp",
            "replacement: blackbox-exporter.monitoring.svc.cluster.local:9115",
            "target_label: __param_target",
            "target_label: instance");
  }

  @Test
  void mountsEachCaSecretOnceAndOpensOnlyTheProbedPorts() {
    List<HasMetadata> objects = objects(render(PROBES));
    Deployment d =
        (Deployment)
            objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("config", "ca-freeipa-ca");
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(BlackboxExporterRenderer.CONFIG_DIGEST);
    NetworkPolicy np =
        (NetworkPolicy)
            objects.stream().filter(o -> o instanceof NetworkPolicy).findFirst().orElseThrow();
    TreeSet<Integer> egress = new TreeSet<>();
    np.getSpec()
        .getEgress()
        .forEach(r -> r.getPorts().forEach(p -> egress.add(p.getPort().getIntVal())));
    assertThat(egress).containsExactly(53, 88, 443, 636);
  }

  @Test
  void badProbesAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\ncomponents:\n  blackboxExporter:\n    probes:\n"
            + "      - {name: a, module: ldap, targets: ['host-without-port']}\n"
            + "      - {name: a, module: https, targets: ['http://plain/'], ca: {env: CA}}\n"
            + "      - {name: b, module: tcp, targets: ['h:1'], ca: {secret: {name: s, key: k}}, labels: {job: x}}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:7:")
                    .contains("probes[0].targets[0]")
                    .contains("expected host:port"))
        .anySatisfy(p -> assertThat(p).contains("probes[1].name").contains("duplicate probe name"))
        .anySatisfy(
            p -> assertThat(p).contains("probes[1].targets[0]").contains("expected a https:// URL"))
        .anySatisfy(p -> assertThat(p).contains("probes[1].ca").contains("Kubernetes Secret"))
        .anySatisfy(p -> assertThat(p).contains("probes[2].ca").contains("tls, https and ldaps"))
        .anySatisfy(
            p -> assertThat(p).contains("probes[2].labels.job").contains("set by the probe job"));
  }
}
