package dev.vigil.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {
  @ParameterizedTest
  @ValueSource(strings = {"default", "homelab", "production"})
  void everyObjectIsAppliedAfterWhatItNeeds(String station) throws Exception {
    dev.vigil.spec.model.Station spec = Stations.load(station);
    Plan plan = Stations.plan(spec);
    // The applications' namespaces are theirs: Vigil applies into them (Instrumentation), never
    // creates them.
    java.util.Set<String> applications =
        new java.util.HashSet<>(spec.components().otelCollector().namespaces());
    Map<ObjectRef, Integer> position = new HashMap<>();
    List<Plan.Step> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      position.put(steps.get(i).ref(), i);
    }
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Plan.Step s = steps.get(i);
      String ns = s.ref().namespace();
      if (ns != null && !applications.contains(ns)) {
        before(wrong, position, new ObjectRef("v1", "Namespace", null, ns), i, s);
      }
      PodSpec pod = podSpec(s);
      if (pod == null) {
        continue;
      }
      if (pod.getServiceAccountName() != null) {
        before(
            wrong,
            position,
            new ObjectRef("v1", "ServiceAccount", ns, pod.getServiceAccountName()),
            i,
            s);
      }
      if (pod.getPriorityClassName() != null
          && position.keySet().stream()
              .anyMatch(
                  r ->
                      r.kind().equals("PriorityClass")
                          && r.name().equals(pod.getPriorityClassName()))) {
        before(
            wrong,
            position,
            new ObjectRef(
                "scheduling.k8s.io/v1", "PriorityClass", null, pod.getPriorityClassName()),
            i,
            s);
      }
      for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
        if (v.getConfigMap() != null) {
          before(
              wrong,
              position,
              new ObjectRef("v1", "ConfigMap", ns, v.getConfigMap().getName()),
              i,
              s);
        }
      }
      if (s.object() instanceof StatefulSet st && st.getSpec().getServiceName() != null) {
        before(
            wrong,
            position,
            new ObjectRef("v1", "Service", ns, st.getSpec().getServiceName()),
            i,
            s);
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(plan.steps()).extracting(Plan.Step::phase).isSorted();
    assertThat(plan.size()).isEqualTo(Stations.render(Stations.load(station)).objects().size());
  }

  private static void before(
      List<String> wrong, Map<ObjectRef, Integer> position, ObjectRef needed, int at, Plan.Step s) {
    Integer p = position.get(needed);
    if (p == null) {
      wrong.add(s.ref() + " needs " + needed + ", which is not applied");
    } else if (p >= at) {
      wrong.add(s.ref() + " (phase " + s.phase() + ") is applied before " + needed);
    }
  }

  private static PodSpec podSpec(Plan.Step s) {
    if (s.object() instanceof StatefulSet st) {
      return st.getSpec().getTemplate().getSpec();
    }
    if (s.object() instanceof DaemonSet d) {
      return d.getSpec().getTemplate().getSpec();
    }
    if (s.object() instanceof Deployment d) {
      return d.getSpec().getTemplate().getSpec();
    }
    return null;
  }

  @Test
  void phasesFollowTheKinds() throws Exception {
    Plan plan = Stations.plan(Stations.load("production"));
    Map<String, Phase> phaseOf = new HashMap<>();
    plan.steps().forEach(s -> phaseOf.put(s.ref().kind(), s.phase()));
    assertThat(phaseOf)
        .containsEntry("Namespace", Phase.NAMESPACES)
        .containsEntry("PriorityClass", Phase.ACCESS)
        .containsEntry("ClusterRole", Phase.ACCESS)
        .containsEntry("ServiceAccount", Phase.ACCESS)
        .containsEntry("ConfigMap", Phase.CONFIG)
        .containsEntry("Service", Phase.SERVICES)
        .containsEntry("Ingress", Phase.SERVICES)
        .containsEntry("StatefulSet", Phase.WORKLOADS)
        .containsEntry("DaemonSet", Phase.WORKLOADS)
        .containsEntry("Deployment", Phase.WORKLOADS)
        .containsEntry("NetworkPolicy", Phase.POLICIES)
        .containsEntry("PodDisruptionBudget", Phase.POLICIES);
  }

  @Test
  void onlyGrafanaBringsTheComponentsWhoseDatasourcesItQueries() throws Exception {
    Plan plan = Stations.plan(Stations.load("default"), Set.of("grafana"), Set.of(), true);
    Selection.Selected sel = plan.selection();
    assertThat(sel.requested()).containsExactly("grafana");
    assertThat(sel.added()).containsOnlyKeys("prometheus", "loki", "alertmanager");
    assertThat(sel.added().get("loki"))
        .singleElement()
        .asString()
        .contains("grafana queries its datasource");
    // Prometheus sends alerts to Alertmanager: a dependency of a dependency is stated too.
    assertThat(sel.components()).containsExactly("alertmanager", "grafana", "loki", "prometheus");
    assertThat(plan.steps())
        .extracting(s -> s.ref().kind() + " " + s.ref().name())
        .contains("Namespace monitoring", "StatefulSet grafana", "StatefulSet loki")
        .noneMatch(k -> k.startsWith("DaemonSet"));
  }

  @Test
  void withoutDependenciesTheyAreNamedAndLeftOut() throws Exception {
    Plan plan = Stations.plan(Stations.load("default"), Set.of("grafana"), Set.of(), false);
    assertThat(plan.selection().components()).containsExactly("grafana");
    assertThat(plan.selection().leftOut()).containsOnlyKeys("prometheus", "loki", "alertmanager");
    // The namespace is not a dependency to opt out of: nothing can be created without it.
    assertThat(plan.phase(Phase.NAMESPACES))
        .extracting(s -> s.ref().name())
        .containsExactly("monitoring");
    assertThat(plan.selection().everything()).isFalse();
  }

  @Test
  void tagsSelectLikeAnsibleTagsAndBringTheirNamespace() throws Exception {
    Plan plan = Stations.plan(Stations.load("default"), Set.of(), Set.of("syslog"), true);
    assertThat(plan.selection().requested()).containsExactly("syslog-gateway");
    assertThat(plan.selection().added()).containsOnlyKeys("loki");
    assertThat(plan.phase(Phase.NAMESPACES))
        .extracting(s -> s.ref().name())
        .containsExactlyInAnyOrder("infrastructure", "monitoring");
    Plan both = Stations.plan(Stations.load("default"), Set.of("prometheus"), Set.of("time"), true);
    assertThat(both.selection().requested()).contains("prometheus", "chrony", "node-agent");
  }

  @Test
  void namesAndTagsThatSelectNothingAreRefusedWithTheChoices() {
    assertThatThrownBy(
            () -> Stations.plan(Stations.load("default"), Set.of("promethues"), Set.of(), true))
        .hasMessageContaining("no component named 'promethues'")
        .hasMessageContaining("did you mean 'prometheus'");
    assertThatThrownBy(
            () ->
                Stations.plan(Stations.load("production"), Set.of("ipmi-exporter"), Set.of(), true))
        .hasMessageContaining("ipmi-exporter is not enabled in this station");
    assertThatThrownBy(
            () -> Stations.plan(Stations.load("default"), Set.of(), Set.of("metrics"), true))
        .hasMessageContaining("unknown tag 'metrics'")
        .hasMessageContaining("monitoring");
    assertThatThrownBy(
            () -> Stations.plan(Stations.load("default"), Set.of(), Set.of("tracing"), true))
        .hasMessageContaining("no enabled component carries the tag 'tracing'");
  }
}
