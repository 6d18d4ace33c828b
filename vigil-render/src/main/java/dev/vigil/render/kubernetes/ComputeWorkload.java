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

/**
 * CPU, memory and restarts of the pods of one workload (Deployment, StatefulSet, DaemonSet, Job).
 */
public final class ComputeWorkload implements DashboardDefinition {
  public static final String UID = "k8s-compute-workload";
  private static final String SEL = "namespace=~\"$namespace\",workload=~\"$workload\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
  }

  /** A per-container family joined with the workload map, summed per pod. */
  private static String perPod(String family) {
    return "sum by (pod) ("
        + family
        + "{namespace=~\"$namespace\"}"
        + " * on (namespace, pod) group_left (workload) "
        + WORKLOAD
        + "{"
        + SEL
        + "})";
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Kubernetes / Compute resources / Workload")
        .description(
            "CPU, memory and restarts of the pods of a Deployment, StatefulSet, DaemonSet or Job.")
        .tags("kubernetes", "resources")
        .variable(Variable.query("namespace", "Namespace", NAMESPACES))
        .variable(
            Variable.query(
                "workload",
                "Workload",
                "label_values(" + WORKLOAD + "{namespace=~\"$namespace\"}, workload)"))
        .row(
            "Workload",
            Panel.stat("Pods").target(prometheus("count(" + WORKLOAD + "{" + SEL + "})")),
            Panel.stat("CPU usage")
                .target(
                    prometheus(
                        "sum("
                            + CPU_USAGE
                            + "{namespace=~\"$namespace\"}"
                            + " * on (namespace, pod) group_left (workload) "
                            + WORKLOAD
                            + "{"
                            + SEL
                            + "})"))
                .unit(Units.SHORT)
                .decimals(2),
            Panel.stat("Memory usage")
                .target(
                    prometheus(
                        "sum("
                            + MEMORY_USAGE
                            + "{namespace=~\"$namespace\"}"
                            + " * on (namespace, pod) group_left (workload) "
                            + WORKLOAD
                            + "{"
                            + SEL
                            + "})"))
                .unit(Units.BYTES),
            Panel.stat("Restarts (1h)")
                .target(
                    prometheus(
                        "sum(increase(kube_pod_container_status_restarts_total{"
                            + KSM
                            + ",namespace=~\"$namespace\"}[1h])"
                            + " * on (namespace, pod) group_left (workload) "
                            + WORKLOAD
                            + "{"
                            + SEL
                            + "}) or vector(0)"))
                .decimals(0))
        .row(
            "Pods",
            Panel.timeseries("CPU usage by pod")
                .target(prometheus(perPod(CPU_USAGE)).legend("{{pod}}"))
                .unit(Units.SHORT),
            Panel.timeseries("Memory usage by pod")
                .target(prometheus(perPod(MEMORY_USAGE)).legend("{{pod}}"))
                .unit(Units.BYTES),
            Panel.timeseries("Network received by pod")
                .target(
                    prometheus(
                            "sum by (pod) ("
                                + RECEIVE
                                + "{namespace=~\"$namespace\"}"
                                + " * on (namespace, pod) group_left (workload) "
                                + WORKLOAD
                                + "{"
                                + SEL
                                + "})")
                        .legend("{{pod}}"))
                .unit(Units.BYTES_PER_SECOND),
            Panel.timeseries("Network sent by pod")
                .target(
                    prometheus(
                            "sum by (pod) ("
                                + TRANSMIT
                                + "{namespace=~\"$namespace\"}"
                                + " * on (namespace, pod) group_left (workload) "
                                + WORKLOAD
                                + "{"
                                + SEL
                                + "})")
                        .legend("{{pod}}"))
                .unit(Units.BYTES_PER_SECOND))
        .build();
  }
}
