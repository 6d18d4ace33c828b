package dev.vigil.render.nodeexporter;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import java.util.Set;

/**
 * The USE method per node: for each resource (CPU, memory, disk, network) its utilisation, its
 * saturation and its errors, so a slow node is explained resource by resource. Every rate over many
 * series is a recording of node-exporter.rules.yaml.
 */
public final class NodeUse implements DashboardDefinition {
  public static final String UID = "node-use";
  private static final String NODE = "job=\"node-exporter\",instance=~\"$node\"";
  private static final String NET =
      "job=\"node-exporter\",node=~\"$node\",device!~\"" + NodeMetrics.VIRTUAL_INTERFACES + "\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(NodeExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Nodes / USE method")
        .description(
            "Utilisation, saturation and errors of the CPU, memory, disks and network of each node.")
        .tags("nodes")
        .variable(
            Variable.query(
                "node", "Node", "label_values(node_uname_info{job=\"node-exporter\"}, node)"))
        .row(
            "CPU",
            Panel.timeseries("CPU utilisation")
                .target(
                    prometheus("instance:node_cpu_utilisation:rate5m{" + NODE + "}")
                        .legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1),
            Panel.timeseries("CPU saturation (load per CPU)")
                .description("Above 1, runnable tasks wait for a CPU; NodeHighLoad fires above 2.")
                .target(
                    prometheus("instance:node_load1_per_cpu:ratio{" + NODE + "}")
                        .legend("{{instance}}"))
                .unit(Units.SHORT)
                .thresholds(Thresholds.base("green").from(1, "orange").from(2, "red"))
                .showThresholds())
        .row(
            "Memory",
            Panel.timeseries("Memory utilisation")
                .target(
                    prometheus("instance:node_memory_utilisation:ratio{" + NODE + "}")
                        .legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1),
            Panel.timeseries("Memory saturation (major page faults)")
                .description(
                    "Pages read back from disk; NodeMemoryMajorPageFaults fires above 500/s.")
                .target(
                    prometheus(
                            "rate(node_vmstat_pgmajfault{job=\"node-exporter\",node=~\"$node\"}[$__rate_interval])")
                        .legend("{{node}}"))
                .unit(Units.OPS_PER_SECOND))
        .row(
            "Disk",
            Panel.timeseries("Disk utilisation (busy time)")
                .target(
                    prometheus("instance_device:node_disk_io_time_seconds:rate5m{" + NODE + "}")
                        .legend("{{instance}} {{device}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1),
            Panel.timeseries("Disk saturation (requests waiting)")
                .description(
                    "Average queue of the disk; NodeDiskIOSaturation fires above 10 for 30 minutes.")
                .target(
                    prometheus(
                            "instance_device:node_disk_io_time_weighted_seconds:rate5m{"
                                + NODE
                                + "}")
                        .legend("{{instance}} {{device}}"))
                .unit(Units.SHORT))
        .row(
            "Network",
            Panel.timeseries("Network utilisation")
                .description("Physical interfaces only; received above the axis, sent below.")
                .targets(
                    prometheus(
                            "instance:node_network_receive_bytes_excluding_virtual:rate5m{"
                                + NODE
                                + "}")
                        .legend("{{instance}} received"),
                    prometheus(
                            "-instance:node_network_transmit_bytes_excluding_virtual:rate5m{"
                                + NODE
                                + "}")
                        .legend("{{instance}} sent"))
                .unit(Units.BYTES_PER_SECOND)
                .width(8),
            Panel.timeseries("Network saturation (drops)")
                .targets(
                    prometheus(
                            "sum by (node) (rate(node_network_receive_drop_total{"
                                + NET
                                + "}[$__rate_interval]))")
                        .legend("{{node}} received"),
                    prometheus(
                            "sum by (node) (rate(node_network_transmit_drop_total{"
                                + NET
                                + "}[$__rate_interval]))")
                        .legend("{{node}} sent"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(8),
            Panel.timeseries("Network errors")
                .targets(
                    prometheus(
                            "sum by (node) (rate(node_network_receive_errs_total{"
                                + NET
                                + "}[$__rate_interval]))")
                        .legend("{{node}} received"),
                    prometheus(
                            "sum by (node) (rate(node_network_transmit_errs_total{"
                                + NET
                                + "}[$__rate_interval]))")
                        .legend("{{node}} sent"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(8))
        .build();
  }
}
