package dev.vigil.render.ksm;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Transformation;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.ValueMapping;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import java.util.Set;

/** Nodes and pods of the whole cluster at a glance, from kube-state-metrics and node-exporter. */
public final class ClusterOverview implements DashboardDefinition {
  public static final String UID = "cluster-overview";

  /** Scrape job of kube-state-metrics, the source of every kube_* series. */
  private static final String KSM = "job=\"kube-state-metrics\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubeStateMetricsRenderer.NAME, NodeExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Cluster overview")
        .description("Nodes, pods and node utilisation of the whole cluster.")
        .tags("kubernetes")
        .row(
            "Cluster",
            Panel.stat("Total nodes")
                .description("Nodes registered with the API server.")
                .target(prometheus("count(kube_node_info{" + KSM + "})")),
            Panel.stat("Nodes not ready")
                .description("Nodes whose Ready condition is false or unknown.")
                .target(
                    prometheus(
                        "sum(kube_node_status_condition{"
                            + KSM
                            + ",condition=\"Ready\",status!=\"true\"})"
                            + " or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Running pods")
                .target(prometheus("sum(kube_pod_status_phase{" + KSM + ",phase=\"Running\"})")),
            Panel.stat("Pending pods")
                .target(
                    prometheus(
                        "sum(kube_pod_status_phase{"
                            + KSM
                            + ",phase=\"Pending\"})"
                            + " or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "yellow")),
            Panel.stat("Failed pods")
                .target(
                    prometheus(
                        "sum(kube_pod_status_phase{"
                            + KSM
                            + ",phase=\"Failed\"}) or"
                            + " vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Container restarts (1h)")
                .target(
                    prometheus(
                        "sum(increase(kube_pod_container_status_restarts_total{"
                            + KSM
                            + "}[1h]))"
                            + " or vector(0)"))
                .decimals(0)
                .thresholds(Thresholds.base("green").from(1, "yellow").from(10, "red")))
        .row(
            "Nodes",
            Panel.timeseries("Node CPU utilisation")
                .target(prometheus("instance:node_cpu_utilisation:rate5m").legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                // The HighCpu alert fires above 80 % for 5 minutes.
                .thresholds(Thresholds.base("green").from(0.8, "red"))
                .showThresholds(),
            Panel.timeseries("Node memory utilisation")
                .target(prometheus("instance:node_memory_utilisation:ratio").legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                // The HighMemory alert fires above 85 % for 5 minutes.
                .thresholds(Thresholds.base("green").from(0.85, "red"))
                .showThresholds(),
            nodeStatusTable())
        .row(
            "Capacity",
            Panel.gauge("Cluster CPU utilisation")
                .target(prometheus("avg(instance:node_cpu_utilisation:rate5m)"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.7, "yellow").from(0.8, "red")),
            Panel.gauge("Cluster memory utilisation")
                .target(
                    prometheus(
                        "1 - sum(node_memory_MemAvailable_bytes{job=\"node-exporter\"})"
                            + " / sum(node_memory_MemTotal_bytes{job=\"node-exporter\"})"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.75, "yellow").from(0.85, "red")),
            Panel.barGauge("Running pods by namespace")
                .target(
                    prometheus(
                            "sum by (namespace)"
                                + " (kube_pod_status_phase{"
                                + KSM
                                + ",phase=\"Running\"})")
                        .legend("{{namespace}}")
                        .instantQuery())
                .size(12, 6))
        .build();
  }

  /**
   * One row per node: Ready/NotReady in colour, its roles, kubelet version and OS image. Nodes
   * without a node-role label are shown as workers, as kubectl does not label them.
   */
  private static Panel.Builder nodeStatusTable() {
    return Panel.table("Node status")
        .targets(
            prometheus(
                    "max by (node, kubelet_version, os_image, kernel_version, internal_ip)"
                        + " (kube_node_info{"
                        + KSM
                        + "}) * on (node) group_left ()"
                        + " max by (node)"
                        + " (kube_node_status_condition{"
                        + KSM
                        + ",condition=\"Ready\","
                        + "status=\"true\"})")
                .asTable(),
            prometheus(
                    "max by (node, role) (kube_node_role{"
                        + KSM
                        + "}) or on (node)"
                        + " label_replace(max by (node)"
                        + " (kube_node_info{"
                        + KSM
                        + "}), \"role\", \"worker\","
                        + " \"\", \"\")")
                .asTable())
        .transform(Transformation.joinByField("node"))
        .transform(
            Transformation.organize()
                .hide("Time", "Time 1", "Time 2", "Value #B")
                .order(
                    "node",
                    "role",
                    "Value #A",
                    "kubelet_version",
                    "os_image",
                    "kernel_version",
                    "internal_ip")
                .rename("node", "Node")
                .rename("role", "Role")
                .rename("Value #A", "Status")
                .rename("kubelet_version", "Kubelet")
                .rename("os_image", "OS image")
                .rename("kernel_version", "Kernel")
                .rename("internal_ip", "Address")
                .build())
        .override(
            FieldOverride.byName("Status")
                .mappings(
                    ValueMapping.of("1", "Ready", "green"), ValueMapping.of("0", "NotReady", "red"))
                .colorBackground())
        .sortBy("Node", false)
        .height(8);
  }
}
