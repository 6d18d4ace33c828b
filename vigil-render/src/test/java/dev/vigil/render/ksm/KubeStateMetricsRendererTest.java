package dev.vigil.render.ksm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.power.PowerRendererTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KubeStateMetricsRendererTest {
  private static final Pattern KSM_METRIC = Pattern.compile("\\b(kube_[a-z_]+)");

  private final RenderedStack stack =
      new StackRenderer().render(TestStations.with(PowerRendererTest.POWER));

  @SuppressWarnings("unchecked")
  private Map<String, Object> job(String name) {
    return new KubeStateMetricsRenderer()
        .scrapeJobs(TestStations.context(TestStations.defaults())).stream()
            .filter(j -> name.equals(j.get("job_name")))
            .findFirst()
            .orElseThrow();
  }

  /**
   * Series without a namespace, pod or node label of their own (kube_node_*,
   * kube_persistentvolume_*, kube_namespace_*) must not inherit the exporter pod's, which change
   * when it restarts.
   */
  @Test
  @SuppressWarnings("unchecked")
  void objectMetricsCarryNoLabelOfTheExporterPod() {
    Map<String, Object> j = job(KubeStateMetricsRenderer.NAME);
    assertThat(j).containsEntry("honor_labels", true);
    List<Map<String, Object>> relabel = (List<Map<String, Object>>) j.get("relabel_configs");
    assertThat(relabel)
        .extracting(r -> r.get("target_label"))
        .doesNotContain("namespace", "pod", "node");
    assertThat(relabel)
        .contains(Map.of("target_label", "instance", "replacement", KubeStateMetricsRenderer.NAME));
    // Its own health is scraped as an ordinary target, with the pod's labels.
    List<Map<String, Object>> self =
        (List<Map<String, Object>>)
            job(KubeStateMetricsRenderer.TELEMETRY_JOB).get("relabel_configs");
    assertThat(self).extracting(r -> r.get("target_label")).contains("namespace", "pod");
  }

  private Deployment deployment() {
    return stack.components().get(KubeStateMetricsRenderer.NAME).objects().stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private Set<String> resourcesFlag() {
    String flag =
        deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
            .filter(a -> a.startsWith("--resources="))
            .findFirst()
            .orElseThrow();
    return new TreeSet<>(Arrays.asList(flag.substring("--resources=".length()).split(",")));
  }

  /** The ClusterRole grants list and watch on what --resources lists, and nothing else. */
  @Test
  void rbacGrantsExactlyTheListedResources() {
    ClusterRole role =
        stack.components().get(KubeStateMetricsRenderer.NAME).objects().stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    Map<String, String> granted = new TreeMap<>();
    for (PolicyRule r : role.getRules()) {
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("list", "watch");
      for (String g : r.getApiGroups()) {
        r.getResources().forEach(res -> granted.put(res, g));
      }
    }
    assertThat(granted.keySet()).isEqualTo(resourcesFlag());
    assertThat(granted).isEqualTo(KubeStateMetricsRenderer.RESOURCES);
    // Reading every Secret's metadata cluster-wide is a privilege nothing here needs.
    assertThat(granted).doesNotContainKeys("secrets", "configmaps");
  }

  /** Every kube_* family a rendered rule or dashboard reads comes from a listed resource. */
  @Test
  void everyFamilyReadIsProducedByAListedResource() throws Exception {
    ImageContract contract = Contracts.load().all().get("kube-state-metrics");
    Map<String, String> collector = new TreeMap<>();
    Contracts.load().metricsOf(contract).forEach(m -> collector.put(m.name(), m.collector()));
    List<String> texts = new ArrayList<>(stack.contributions().allRuleFiles().values());
    stack.contributions().allDashboards().stream().map(Dashboard::toJson).forEach(texts::add);
    Set<String> read = new TreeSet<>();
    for (String t : texts) {
      Matcher m = KSM_METRIC.matcher(t);
      while (m.find()) {
        if (collector.containsKey(m.group(1))) {
          read.add(m.group(1));
        }
      }
    }
    assertThat(read).contains("kube_pod_status_phase", "kube_node_status_condition");
    Set<String> listed = resourcesFlag();
    List<String> unlisted = new ArrayList<>();
    for (String metric : read) {
      String c = collector.get(metric);
      if (!c.equals("telemetry") && !listed.contains(c)) {
        unlisted.add(metric + " (needs --resources " + c + ")");
      }
    }
    assertThat(unlisted).isEmpty();
  }

  @Test
  void theResourcesFlagIsOneTheVersionAccepts() {
    ImageContract contract = Contracts.load().all().get("kube-state-metrics");
    assertThat(contract.flag("--resources=pods")).isPresent();
    Set<String> known = new TreeSet<>();
    Contracts.load().metricsOf(contract).forEach(m -> known.add(m.collector()));
    assertThat(known).containsAll(resourcesFlag());
  }

  static JsonNode yaml(HasMetadata o) throws Exception {
    return Yaml.mapper().readTree(Yaml.write(o));
  }
}
