package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.*;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/** The pods of one node: what they use and request against what the node can allocate. */
public final class ComputeNode implements DashboardDefinition {
  public static final String UID = "k8s-compute-node";
  private static final String NODE = "node=~\"$node\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
  }

  private static String requested(String resource) {
    return "sum by (node) ("
        + perContainer("kube_pod_container_resource_requests", resource, NODE)
        + ")"
        + " / sum by (node) (kube_node_status_allocatable{"
        + KSM
        + ",resource=\""
        + resource
        + "\","
        + NODE
        + "})";
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    Thresholds commitment = Thresholds.base("green").from(0.8, "orange").from(1, "red");
    return Dashboard.builder(UID, "Kubernetes / Compute resources / Node")
        .description("CPU and memory of the pods of a node, against what the node can allocate.")
        .tags("kubernetes", "resources", "nodes")
        .variable(Variable.query("node", "Node", "label_values(kube_node_info{" + KSM + "}, node)"))
        .row(
            "Node",
            Panel.barGauge("CPU requested of allocatable")
                .target(prometheus(requested("cpu")).legend("{{node}}").instantQuery())
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(commitment)
                .size(12, 6),
            Panel.barGauge("Memory requested of allocatable")
                .target(prometheus(requested("memory")).legend("{{node}}").instantQuery())
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(commitment)
                .size(12, 6))
        .row(
            "Pods",
            Panel.timeseries("CPU usage by pod")
                .target(
                    prometheus("sum by (node, namespace, pod) (" + CPU_USAGE + "{" + NODE + "})")
                        .legend("{{node}} {{namespace}}/{{pod}}"))
                .unit(Units.SHORT)
                .stacked(),
            Panel.timeseries("Memory usage by pod")
                .target(
                    prometheus("sum by (node, namespace, pod) (" + MEMORY_USAGE + "{" + NODE + "})")
                        .legend("{{node}} {{namespace}}/{{pod}}"))
                .unit(Units.BYTES)
                .stacked(),
            Panel.timeseries("Running pods")
                .description("Against the node's pod capacity (KubeletTooManyPods fires at 95%).")
                .targets(
                    prometheus(
                            "count by (node) (kube_pod_info{"
                                + KSM
                                + ","
                                + NODE
                                + "} * on (namespace, pod) group_left ()"
                                + " max by (namespace, pod) (kube_pod_status_phase{"
                                + KSM
                                + ",phase=\"Running\"} == 1))")
                        .legend("{{node}} running"),
                    prometheus(
                            "max by (node) (kube_node_status_capacity{"
                                + KSM
                                + ",resource=\"pods\","
                                + NODE
                                + "})")
                        .legend("{{node}} capacity"))
                .unit(Units.SHORT))
        .build();
  }
}
