package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.Yaml;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real tools accept every rendered configuration file of every station. */
class RenderedConfigIT {
  @TempDir Path tmp;

  /** The embedded default and every shipped example. */
  static List<String> stations() {
    List<String> names = new ArrayList<>(List.of("default"));
    names.addAll(Examples.stations());
    return names;
  }

  static Map<String, String> configMap(RenderedStack stack, String name) {
    for (HasMetadata o : stack.objects()) {
      if (o instanceof ConfigMap cm && cm.getMetadata().getName().equals(name)) {
        return cm.getData();
      }
    }
    throw new AssertionError("no ConfigMap " + name);
  }

  /**
   * Debian's promtool is built without Kubernetes service discovery. To check everything else in
   * the file with the real tool (globals, relabelling regexes, TLS, alerting), each
   * kubernetes_sd_configs block is swapped for an empty static_configs; the SD blocks themselves
   * are asserted structurally below.
   */
  static String withoutKubernetesSd(String prometheusYml) throws Exception {
    JsonNode root = Yaml.mapper().readTree(prometheusYml);
    for (JsonNode job : root.path("scrape_configs")) {
      ObjectNode j = (ObjectNode) job;
      JsonNode sd = j.remove("kubernetes_sd_configs");
      if (sd != null) {
        for (JsonNode s : sd) {
          assertThat(s.path("role").asText())
              .isIn("pod", "node", "endpoints", "endpointslice", "service");
        }
        ArrayNode statics = j.putArray("static_configs");
        statics.addObject().putArray("targets");
      }
    }
    return Yaml.write(root);
  }

  @ParameterizedTest
  @MethodSource("stations")
  void promtoolAcceptsConfigAndRules(String station) throws Exception {
    Path promtool = Tools.require("promtool", "prometheus");
    RenderedStack stack = Stations.render(station);
    Path dir = Files.createDirectories(tmp.resolve(station));
    Map<String, String> rules = configMap(stack, "prometheus-rules");
    assertThat(rules).containsKey("general.rules.yaml");
    List<String> ruleArgs = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    for (Map.Entry<String, String> r : rules.entrySet()) {
      Files.writeString(dir.resolve(r.getKey()), r.getValue());
      ruleArgs.add(r.getKey());
    }
    Tools.Run ruleCheck = Tools.run(dir, 60, ruleArgs);
    assertThat(ruleCheck.ok()).as(ruleCheck.output()).isTrue();

    String config = configMap(stack, "prometheus-config").get("prometheus.yml");
    Files.writeString(dir.resolve("prometheus.yml"), withoutKubernetesSd(config));
    Tools.Run configCheck =
        Tools.run(
            dir, 60, promtool.toString(), "check", "config", "--syntax-only", "prometheus.yml");
    assertThat(configCheck.ok()).as(configCheck.output()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("stations")
  void amtoolAcceptsAlertmanagerConfig(String station) throws Exception {
    Path amtool = Tools.require("amtool", "prometheus-alertmanager");
    RenderedStack stack = Stations.render(station);
    Path file = tmp.resolve(station + "-alertmanager.yml");
    Files.writeString(file, configMap(stack, "alertmanager-config").get("alertmanager.yml"));
    Tools.Run run = Tools.run(tmp, 60, amtool.toString(), "check-config", file.toString());
    assertThat(run.ok()).as(run.output()).isTrue();
    assertThat(run.output()).contains("SUCCESS");
  }

  @ParameterizedTest
  @MethodSource("stations")
  void kustomizeBuildsTheLayout(String station) throws Exception {
    Path kubectl = Tools.require("kubectl", "kubernetes-client");
    Path out = tmp.resolve(station + "-out");
    RenderedStack stack = Stations.render(station);
    stack.write(out);
    Tools.Run run = Tools.run(tmp, 120, kubectl.toString(), "kustomize", out.toString());
    assertThat(run.ok()).as(run.output()).isTrue();
    long kinds = run.output().lines().filter(l -> l.startsWith("kind: ")).count();
    assertThat(kinds).isEqualTo(stack.objects().size());
  }
}
