package dev.vigil.render.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.spec.model.SnmpExporterSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SnmpExporterRendererTest {
  static String example() {
    try (InputStream in =
        SnmpExporterRendererTest.class.getResourceAsStream(TestStations.COMPONENT_EXAMPLE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RenderedStack render(String... overlays) {
    return new StackRenderer().render(TestStations.with(overlays));
  }

  private static List<HasMetadata> objects(RenderedStack stack) {
    return stack.components().get(SnmpExporterRenderer.NAME).objects();
  }

  private static PodSpec pod(RenderedStack stack) {
    return objects(stack).stream()
        .filter(o -> o instanceof Deployment)
        .map(o -> ((Deployment) o).getSpec().getTemplate().getSpec())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void offByDefaultAndOnWithDevices() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(SnmpExporterRenderer.NAME);
    assertThat(render(example()).components()).containsKey(SnmpExporterRenderer.NAME);
    assertThat(
            render(
                    "components:\n  snmpExporter:\n    enabled: false\n    auths: [{name: a, community: {secret: {name: s, key: c}}}]\n"
                        + "    devices: [{name: d, address: sw1, auth: a}]\n")
                .components())
        .doesNotContainKey(SnmpExporterRenderer.NAME);
  }

  @Test
  void oneDeviceJobWhoseTargetsCarryDeviceAuthModulesAndLabels() {
    List<Map<String, Object>> jobs =
        render(example()).contributions().scrapeJobs().get(SnmpExporterRenderer.NAME);
    assertThat(jobs).extracting(j -> j.get("job_name")).containsExactly("snmp-exporter", "snmp");
    String job = Yaml.write(jobs.get(1));
    assertThat(job)
        .contains(
            "metrics_path: /snmp",
            "- 192.168.4.2\n",
            "device: core-switch",
            "__param_auth: lan-v2",
            "__param_module: \"if_mib,system\"\n",
            "- 192.168.4.1:1161",
            "__param_module: \"if_mib,system,paloalto_fw\"",
            "replacement: snmp-exporter.monitoring.svc.cluster.local:9116",
            "target_label: __param_target",
            "target_label: instance");
  }

  @Test
  void credentialsComeFromSecretsIntoAMemoryVolumeTheExporterOnlyReads() {
    PodSpec pod = pod(render(example()));
    Container init = pod.getInitContainers().get(0);
    Container exporter = pod.getContainers().get(0);
    assertThat(init.getImage()).isEqualTo(exporter.getImage());
    assertThat(init.getCommand()).startsWith("/bin/sh", "-c");
    assertThat(init.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly(
            "SNMP_AUTH_LAN_V2_COMMUNITY",
            "SNMP_AUTH_FW_V3_AUTH_PASSWORD",
            "SNMP_AUTH_FW_V3_PRIV_PASSWORD");
    assertThat(init.getEnv())
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
            });
    assertThat(init.getEnv().get(1).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("snmp-v3");
    assertThat(pod.getVolumes().get(0).getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(init.getVolumeMounts().get(0).getReadOnly()).isFalse();
    assertThat(exporter.getVolumeMounts().get(0).getReadOnly()).isTrue();
    assertThat(exporter.getArgs())
        .containsExactly(
            "--config.file=/etc/snmp_exporter/snmp.yml",
            "--config.file=/run/snmp-exporter/auths.yml",
            "--web.listen-address=:9116");
    for (Container c : List.of(init, exporter)) {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
    }
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    // Nothing secret is in the rendered text: only the Secrets' names and keys.
    String script = init.getCommand().get(2);
    assertThat(script)
        .contains(
            "printf '%s\\n' '  lan-v2:'",
            "printf '%s\\n' '    version: 2'",
            "v=$(secret lan-v2.community \"$SNMP_AUTH_LAN_V2_COMMUNITY\")",
            "printf '%s\\n' '    security_level: authPriv'",
            "printf '%s\\n' '    auth_protocol: SHA'",
            "printf '%s\\n' '    priv_protocol: AES'",
            "mv /run/snmp-exporter/auths.yml.new /run/snmp-exporter/auths.yml");
  }

  @Test
  void opensOnlyTheDevicesSnmpPortsOverUdp() {
    NetworkPolicy np =
        (NetworkPolicy)
            objects(render(example())).stream()
                .filter(o -> o instanceof NetworkPolicy)
                .findFirst()
                .orElseThrow();
    Set<String> egress = new TreeSet<>();
    np.getSpec()
        .getEgress()
        .forEach(
            r ->
                r.getPorts()
                    .forEach(p -> egress.add(p.getProtocol() + "/" + p.getPort().getIntVal())));
    assertThat(egress).containsExactly("TCP/53", "UDP/1161", "UDP/161", "UDP/53");
    assertThat(np.getSpec().getIngress()).hasSize(1);
  }

  @Test
  void userStringsAreQuotedForYamlAndShell() {
    assertThat(SnmpExporterRenderer.yamlQuoted("it's")).isEqualTo("'it''s'");
    assertThat(SnmpExporterRenderer.shellQuoted("    username: 'it''s'"))
        .isEqualTo("'    username: '\\''it'\\'''\\''s'\\'''");
  }

  /** The spec refuses a module the image's snmp.yml lacks: the list is the contract's. */
  @Test
  void theSpecsModulesAreThoseOfTheImagesSnmpYml() {
    String image = ComponentRegistry.load().images().get("snmp-exporter");
    ImageContract contract = Contracts.load().forImage(image).orElseThrow();
    Set<String> modules =
        contract.configKeys().stream()
            .map(ImageContract.ConfigKey::path)
            .filter(p -> p.startsWith("modules."))
            .map(p -> p.substring("modules.".length()))
            .collect(Collectors.toSet());
    assertThat(modules).hasSize(52).isEqualTo(SnmpExporterSpec.MODULES);
  }

  @Test
  void badAuthsAndDevicesAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\ncomponents:\n  snmpExporter:\n    auths:\n"
            + "      - {name: lan, version: v2c}\n"
            + "      - {name: fw, version: v3, username: u, securityLevel: authpriv,"
            + " community: {secret: {name: s, key: c}}}\n"
            + "      - {name: sw, version: v3, username: u, authProtocol: SHA1,"
            + " authPassword: {env: PW}}\n"
            + "    devices:\n"
            + "      - {name: core, address: 'sw1:99999', auth: lam, modules: [if_mib, ifmib]}\n"
            + "      - {name: core, address: 'sw2', auth: lan, labels: {device: x}}\n";
    var bound =
        dev.vigil.spec.SpecLoader.load(List.of(new dev.vigil.spec.bind.Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:7:")
                    .contains("auths[0].community")
                    .contains("expected a community string for v2c"))
        .anySatisfy(p -> assertThat(p).contains("auths[1].community").contains("v1 and v2c only"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("auths[1].securityLevel")
                    .contains("expected one of noAuthNoPriv, authNoPriv, authPriv")
                    .contains("authPriv"))
        .anySatisfy(p -> assertThat(p).contains("auths[1].authPassword").contains("expected a"))
        .anySatisfy(p -> assertThat(p).contains("auths[2].authProtocol").contains("SHA1"))
        .anySatisfy(p -> assertThat(p).contains("auths[2].authPassword").contains("Kubernetes"))
        .anySatisfy(p -> assertThat(p).contains("devices[0].address").contains("a port in 1-65535"))
        .anySatisfy(p -> assertThat(p).contains("devices[0].auth").contains("lan"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("devices[0].modules[1]")
                    .contains("a module of the exporter's snmp.yml"))
        .anySatisfy(p -> assertThat(p).contains("devices[1].name").contains("duplicate device"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("devices[1].labels.device")
                    .contains("set by the device job"));
  }
}
