package dev.vigil.render.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.check.StackChecks;
import dev.vigil.render.k8s.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole stack with chrony, the syslog gateway and power included passes the stack checks. */
class AgentStackTest {
  @Test
  void defaultStationPassesTheStackChecksWithTheseComponents() {
    RenderedStack stack = new StackRenderer().render(TestStations.defaults());
    assertThat(stack.components()).containsKeys("infrastructure", "chrony", "syslog-gateway");
    StackChecks.Result result = StackChecks.run(stack);
    assertThat(result.failures()).isEmpty();
    assertThat(stack.files()).containsKeys(
        "chrony/daemonset-chrony-upstream.yaml",
        "chrony/daemonset-chrony-cluster.yaml",
        "syslog-gateway/statefulset-syslog-gateway.yaml",
        "infrastructure/namespace-infrastructure.yaml");
  }

  @Test
  void productionAndPowerVariantsPassToo() {
    for (String overlay : List.of(TestStations.PRODUCTION, PowerRendererTest.POWER)) {
      StackChecks.Result result = StackChecks.run(new StackRenderer().render(TestStations.with(overlay)));
      assertThat(result.failures()).as(overlay).isEmpty();
    }
  }

  @Test
  void infrastructureNamespaceIsPrivilegedButAuditsBaseline() {
    RenderedStack stack = new StackRenderer().render(TestStations.defaults());
    Namespace ns = (Namespace) stack.components().get("infrastructure").objects().get(0);
    assertThat(ns.getMetadata().getName()).isEqualTo("infrastructure");
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
        .containsEntry("pod-security.kubernetes.io/warn", "baseline")
        .containsEntry("pod-security.kubernetes.io/audit", "baseline");
    for (String c : List.of("chrony", "syslog-gateway")) {
      for (HasMetadata o : stack.components().get(c).objects()) {
        assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
            .isEqualTo("infrastructure");
        assertThat(o.getMetadata().getLabels()).containsKey(Labels.NAME);
      }
    }
  }

  @Test
  void noInfrastructureWhenNeitherTimeNorSyslogIsOn() {
    RenderedStack stack = new StackRenderer().render(
        TestStations.with("time:\n  enabled: false\nsyslog:\n  enabled: false\n"));
    assertThat(stack.components()).doesNotContainKeys("infrastructure", "chrony", "syslog-gateway");
  }

  @Test
  void theirRuleFilesAndScrapeJobsReachPrometheus() {
    Map<String, String> files = new StackRenderer().render(TestStations.defaults()).files();
    String rulesFile = files.get("prometheus/configmap-prometheus-rules.yaml");
    assertThat(rulesFile).contains("time.rules.yaml", "syslog.rules.yaml").doesNotContain("power.rules.yaml");
    String config = files.get("prometheus/configmap-prometheus-config.yaml");
    assertThat(config).contains("job_name: chrony-exporter", "job_name: vigil-agent")
        .doesNotContain("vigil-agent-host");
  }
}
