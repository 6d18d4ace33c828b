package dev.vigil.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.k8s.Labels;
import dev.vigil.render.power.PowerRendererTest;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole stack with chrony, the syslog gateway and power included (vigil-cli's StackLintTest
 * lints it).
 */
class AgentStackTest {
  @Test
  void defaultStationRendersTheseComponents() {
    RenderedStack stack = new StackRenderer().render(TestStations.defaults());
    assertThat(stack.components()).containsKeys("infrastructure", "chrony", "syslog-gateway");
    assertThat(stack.files())
        .containsKeys(
            "chrony/daemonset-chrony-upstream.yaml",
            "chrony/daemonset-chrony-cluster.yaml",
            "syslog-gateway/statefulset-syslog-gateway.yaml",
            "infrastructure/namespace-infrastructure.yaml");
  }

  /**
   * What kubectl reads from the written YAML has the same types as the object: a label or a command
   * argument that looks like a number must be quoted, or the API server rejects it.
   */
  @Test
  void writtenYamlKeepsEveryStringAString() throws Exception {
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .setSerializationInclusion(
                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    Station s =
        TestStations.with(
            PowerRendererTest.POWER + "syslog:\n  listen:\n    udpPort: 514\n    tcpPort: 514\n");
    RenderedStack stack = new StackRenderer().render(s);
    for (String c : List.of("infrastructure", "chrony", "syslog-gateway")) {
      for (HasMetadata o : stack.components().get(c).objects()) {
        List<String> mismatches = new java.util.ArrayList<>();
        compare("", json.valueToTree(o), Yaml.mapper().readTree(Yaml.write(o)), mismatches);
        assertThat(mismatches).as(o.getKind() + " " + o.getMetadata().getName()).isEmpty();
      }
    }
  }

  private static final java.util.regex.Pattern QUANTITY =
      java.util.regex.Pattern.compile("\\.(requests|limits)\\.(cpu|memory|storage)$|\\.sizeLimit$");

  /** Paths where the written tree differs in type or value; numbers compare by value. */
  private static void compare(String path, JsonNode want, JsonNode got, List<String> out) {
    if (want.isTextual() && got.isNumber() && QUANTITY.matcher(path).find()) {
      // Kubernetes quantities accept JSON numbers ("cpu: 1").
      return;
    }
    if (want.isNumber() && got.isNumber()) {
      if (want.decimalValue().compareTo(got.decimalValue()) != 0) {
        out.add(path + ": " + want + " != " + got);
      }
    } else if (want.isObject() && got.isObject()) {
      want.properties()
          .forEach(
              e ->
                  compare(
                      path + "." + e.getKey(),
                      e.getValue(),
                      got.has(e.getKey())
                          ? got.get(e.getKey())
                          : com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                      out));
    } else if (want.isArray() && got.isArray() && want.size() == got.size()) {
      for (int i = 0; i < want.size(); i++) {
        compare(path + "[" + i + "]", want.get(i), got.get(i), out);
      }
    } else if (!want.equals(got)) {
      out.add(
          path
              + ": "
              + want.getNodeType()
              + " "
              + want
              + " written as "
              + got.getNodeType()
              + " "
              + got);
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
        assertThat(o.getMetadata().getNamespace())
            .as(o.getKind() + " " + o.getMetadata().getName())
            .isEqualTo("infrastructure");
        assertThat(o.getMetadata().getLabels()).containsKey(Labels.NAME);
      }
    }
  }

  @Test
  void noInfrastructureWhenNeitherTimeNorSyslogIsOn() {
    RenderedStack stack =
        new StackRenderer()
            .render(TestStations.with("time:\n  enabled: false\nsyslog:\n  enabled: false\n"));
    assertThat(stack.components()).doesNotContainKeys("infrastructure", "chrony", "syslog-gateway");
  }

  @Test
  void theirRuleFilesAndScrapeJobsReachPrometheus() {
    Map<String, String> files = new StackRenderer().render(TestStations.defaults()).files();
    String rulesFile = files.get("prometheus/configmap-prometheus-rules.yaml");
    assertThat(rulesFile)
        .contains("time.rules.yaml", "syslog.rules.yaml")
        .doesNotContain("power.rules.yaml");
    String config = files.get("prometheus/configmap-prometheus-config.yaml");
    // The node agents' clock probe is scraped although power management is off: NodeClockSkew and
    // the time panels read vigil_time_* from them.
    assertThat(config)
        .contains(
            "job_name: chrony-exporter", "job_name: vigil-agent", "job_name: vigil-agent-host");
  }
}
