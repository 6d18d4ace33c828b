package dev.vigil.render.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

class AlloyRendererTest {
  @Test
  void shipsPodLogsAndTheJournalToTheStacksLokiWithTheClusterLabel() {
    String cfg =
        Rendered.of(new AlloyRenderer(), TestStations.defaults())
            .text("alloy-config", "config.alloy");
    assertThat(cfg)
        .contains(
            "loki.source.journal",
            "url = \"http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push\"",
            "external_labels = {cluster = \"vmstation\"}")
        .doesNotContain("tenant_id");
  }

  @Test
  void namesTheTenantWhenLokiIsMultiTenant() {
    String cfg =
        Rendered.of(new AlloyRenderer(), TestStations.with(TestStations.PRODUCTION))
            .text("alloy-config", "config.alloy");
    assertThat(cfg).contains("tenant_id = \"vmstation\"");
  }

  @Test
  void readsTheHostLogsReadOnlyAndWritesOnlyItsDataDirectory() {
    DaemonSet ds =
        Rendered.of(new AlloyRenderer(), TestStations.defaults()).one(DaemonSet.class, "alloy");
    Container c = Rendered.container(ds.getSpec().getTemplate().getSpec().getContainers(), "alloy");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getVolumeMounts())
        .filteredOn(
            m -> m.getMountPath().equals("/var/log") || m.getMountPath().equals("/run/log/journal"))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(c.getArgs()).contains("--storage.path=/var/lib/alloy/data");
    assertThat(ds.getMetadata().getAnnotations().get("vigil.dev/ignore"))
        .contains("pss-host-path", "run-as-group-root");
    assertThat(ds.getMetadata().getAnnotations().get("vigil.dev/ignore-reason")).isNotBlank();
  }

  /**
   * A component's health is an alert's business: the kubelet restarts Alloy only when it stops
   * serving.
   */
  @Test
  void livenessAsksWhetherAlloyServesNotWhetherEveryComponentIsHealthy() {
    DaemonSet ds =
        Rendered.of(new AlloyRenderer(), TestStations.defaults()).one(DaemonSet.class, "alloy");
    Container c = Rendered.container(ds.getSpec().getTemplate().getSpec().getContainers(), "alloy");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/-/ready");
    assertThat(c.getArgs())
        .contains("--server.http.enable-pprof=false", "--server.http.disable-support-bundle");
  }
}
