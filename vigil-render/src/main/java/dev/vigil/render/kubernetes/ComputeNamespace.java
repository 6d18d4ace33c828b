package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.*;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/** CPU and memory of the pods and workloads of one namespace against its requests and limits. */
public final class ComputeNamespace implements DashboardDefinition {
  public static final String UID = "k8s-compute-namespace";
  private static final String NS = "namespace=~\"$namespace\"";

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
    return Dashboard.builder(UID, "Kubernetes / Compute resources / Namespace")
        .description(
            "CPU and memory of the pods and workloads of a namespace, against its requests and limits.")
        .tags("kubernetes", "resources")
        .variable(Variable.query("namespace", "Namespace", NAMESPACES))
        .row(
            "Namespace",
            Panel.stat("CPU usage")
                .target(prometheus("sum(" + CPU_USAGE + "{" + NS + "})"))
                .unit(Units.SHORT)
                .decimals(2),
            Panel.stat("CPU requests")
                .target(prometheus("sum(" + CPU_REQUESTS + "{" + NS + "})"))
                .unit(Units.SHORT)
                .decimals(2),
            Panel.stat("CPU limits")
                .target(prometheus("sum(" + CPU_LIMITS + "{" + NS + "})"))
                .unit(Units.SHORT)
                .decimals(2),
            Panel.stat("Memory usage")
                .target(prometheus("sum(" + MEMORY_USAGE + "{" + NS + "})"))
                .unit(Units.BYTES),
            Panel.stat("Memory requests")
                .target(prometheus("sum(" + MEMORY_REQUESTS + "{" + NS + "})"))
                .unit(Units.BYTES),
            Panel.stat("Memory limits")
                .target(prometheus("sum(" + MEMORY_LIMITS + "{" + NS + "})"))
                .unit(Units.BYTES))
        .row(
            "Pods",
            Panel.timeseries("CPU usage by pod")
                .target(
                    prometheus("sum by (pod) (" + CPU_USAGE + "{" + NS + "})").legend("{{pod}}"))
                .unit(Units.SHORT),
            Panel.timeseries("Memory usage by pod")
                .target(
                    prometheus("sum by (pod) (" + MEMORY_USAGE + "{" + NS + "})").legend("{{pod}}"))
                .unit(Units.BYTES))
        .row(
            "Workloads",
            Panel.timeseries("CPU usage by workload")
                .description("Pods summed per Deployment, StatefulSet, DaemonSet or Job.")
                .target(
                    prometheus(
                            "sum by (workload, workload_type) ("
                                + CPU_USAGE
                                + "{"
                                + NS
                                + "}"
                                + " * on (namespace, pod) group_left (workload, workload_type) "
                                + WORKLOAD
                                + "{"
                                + NS
                                + "})")
                        .legend("{{workload_type}} {{workload}}"))
                .unit(Units.SHORT),
            Panel.timeseries("Memory usage by workload")
                .target(
                    prometheus(
                            "sum by (workload, workload_type) ("
                                + MEMORY_USAGE
                                + "{"
                                + NS
                                + "}"
                                + " * on (namespace, pod) group_left (workload, workload_type) "
                                + WORKLOAD
                                + "{"
                                + NS
                                + "})")
                        .legend("{{workload_type}} {{workload}}"))
                .unit(Units.BYTES))
        .build();
  }
}
