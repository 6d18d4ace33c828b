package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.*;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/**
 * CPU and memory of the whole cluster: what the containers use, what the pods request and limit,
 * against what the nodes can allocate; then per namespace. Where to look before KubeCPUOvercommit
 * or KubeMemoryOvercommit fires, and which namespace to ask about it.
 */
public final class ComputeCluster implements DashboardDefinition {
  public static final String UID = "k8s-compute-cluster";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    Thresholds commitment = Thresholds.base("green").from(0.8, "orange").from(1, "red");
    return Dashboard.builder(UID, "Kubernetes / Compute resources / Cluster")
        .description(
            "CPU and memory the containers use, request and limit, against what the nodes can allocate.")
        .tags("kubernetes", "resources")
        .row(
            "Cluster",
            Panel.stat("CPU utilisation")
                .description("CPU the containers use, of what the nodes can allocate.")
                .target(prometheus("sum(" + CPU_USAGE + ") / " + allocatable("cpu")))
                .unit(Units.PERCENT_UNIT)
                .thresholds(commitment),
            Panel.stat("CPU requests")
                .description(
                    "CPU the pods request, of what the nodes can allocate; above 100% some pods cannot be scheduled.")
                .target(prometheus("sum(" + CPU_REQUESTS + ") / " + allocatable("cpu")))
                .unit(Units.PERCENT_UNIT)
                .thresholds(commitment),
            Panel.stat("CPU limits")
                .target(prometheus("sum(" + CPU_LIMITS + ") / " + allocatable("cpu")))
                .unit(Units.PERCENT_UNIT),
            Panel.stat("Memory utilisation")
                .description("Working set of the containers, of what the nodes can allocate.")
                .target(prometheus("sum(" + MEMORY_USAGE + ") / " + allocatable("memory")))
                .unit(Units.PERCENT_UNIT)
                .thresholds(commitment),
            Panel.stat("Memory requests")
                .target(prometheus("sum(" + MEMORY_REQUESTS + ") / " + allocatable("memory")))
                .unit(Units.PERCENT_UNIT)
                .thresholds(commitment),
            Panel.stat("Memory limits")
                .target(prometheus("sum(" + MEMORY_LIMITS + ") / " + allocatable("memory")))
                .unit(Units.PERCENT_UNIT))
        .row(
            "CPU",
            Panel.timeseries("CPU usage by namespace")
                .target(
                    prometheus("sum by (namespace) (" + CPU_USAGE + ")").legend("{{namespace}}"))
                .unit(Units.SHORT)
                .stacked(),
            Panel.barGauge("CPU usage of requests by namespace")
                .description(
                    "Above 100% a namespace uses more than it asked for: it runs on other namespaces' spare CPU.")
                .target(
                    prometheus(
                            "sum by (namespace) ("
                                + CPU_USAGE
                                + ") / sum by (namespace) ("
                                + CPU_REQUESTS
                                + ")")
                        .legend("{{namespace}}")
                        .instantQuery())
                .unit(Units.PERCENT_UNIT)
                .thresholds(Thresholds.base("green").from(1, "orange"))
                .size(12, 8))
        .row(
            "Memory",
            Panel.timeseries("Memory usage by namespace")
                .target(
                    prometheus("sum by (namespace) (" + MEMORY_USAGE + ")").legend("{{namespace}}"))
                .unit(Units.BYTES)
                .stacked(),
            Panel.barGauge("Memory usage of requests by namespace")
                .description(
                    "Above 100% a namespace uses more than it asked for: the first to be evicted under memory pressure.")
                .target(
                    prometheus(
                            "sum by (namespace) ("
                                + MEMORY_USAGE
                                + ") / sum by (namespace) ("
                                + MEMORY_REQUESTS
                                + ")")
                        .legend("{{namespace}}")
                        .instantQuery())
                .unit(Units.PERCENT_UNIT)
                .thresholds(Thresholds.base("green").from(1, "orange"))
                .size(12, 8))
        .build();
  }
}
