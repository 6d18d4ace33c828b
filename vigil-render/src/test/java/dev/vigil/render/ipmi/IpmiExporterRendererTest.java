package dev.vigil.render.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

class IpmiExporterRendererTest {
  private static Rendered homelab() {
    return Rendered.of(new IpmiExporterRenderer(), TestStations.defaults());
  }

  @Test
  void runsOnlyOnTheNodesWithIpmi() {
    PodSpec pod = homelab().one(DaemonSet.class, "ipmi-exporter").getSpec().getTemplate().getSpec();
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("homelab");
  }

  @Test
  void freeIpmiGetsAWritableScratchDirectoryForItsFifosAndSensorCache() {
    Rendered r = homelab();
    PodSpec pod = r.one(DaemonSet.class, "ipmi-exporter").getSpec().getTemplate().getSpec();
    Container c = Rendered.container(pod.getContainers(), "ipmi-exporter");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly()));
    assertThat(pod.getVolumes())
        .anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);
    JsonNode module =
        r.yaml("ipmi-exporter-config", "ipmi_local.yml").path("modules").path("default");
    assertThat(module.path("custom_args").path("ipmi").get(0).asText())
        .isEqualTo("--sdr-cache-directory=/tmp");
  }

  @Test
  void itsPrivilegesAreExemptedWithTheirReason() {
    DaemonSet ds = homelab().one(DaemonSet.class, "ipmi-exporter");
    assertThat(ds.getMetadata().getAnnotations().get("vigil.dev/ignore"))
        .contains("pss-privileged", "pss-host-path");
    assertThat(ds.getMetadata().getAnnotations().get("vigil.dev/ignore-reason"))
        .contains("/dev/ipmi0");
  }
}
