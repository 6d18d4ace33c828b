package dev.vigil.render.nodeexporter;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Json;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Transformation;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.ValueMapping;
import dev.vigil.render.grafana.dashboard.Variable;
import java.util.Set;

/** Per-node CPU, memory, disk, network and load from node-exporter, with the OS of each node. */
public final class NodeMetrics implements DashboardDefinition {
  public static final String UID = "node-metrics";

  /**
   * Interfaces that carry no traffic of their own: loopback, container veth pairs, and the bridges
   * and tunnels of Docker, libvirt, kube-proxy and the CNI plugins. Counting them would count pod
   * traffic twice. The same list as the network recording rules.
   */
  public static final String VIRTUAL_INTERFACES =
      "lo|veth.*|docker.*|flannel.*|cni.*|cali.*|virbr.*|br-.*|vxlan.*|tunl.*|kube-ipvs.*";

  /**
   * Filesystem types that are not disk usage (in-memory, images, overlay layers, FUSE); the same
   * list as the filesystem alerts.
   */
  public static final String VIRTUAL_FILESYSTEMS =
      "tmpfs|ramfs|devtmpfs|squashfs|overlay|nsfs|iso9660|autofs|fuse\\\\..*";

  /** Container, pod and runtime mounts, watched per volume claim instead; as in the alerts. */
  public static final String EXCLUDED_MOUNTPOINTS =
      "/var/lib/kubelet/pods/.*|/var/lib/containerd/.*|/var/lib/docker/.*|/run/.*|/snap/.*";

  static final String FILESYSTEMS =
      "node=~\"$node\",fstype!~\""
          + VIRTUAL_FILESYSTEMS
          + "\",mountpoint!~\""
          + EXCLUDED_MOUNTPOINTS
          + "\"";

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
    String net = "node=~\"$node\",device!~\"" + VIRTUAL_INTERFACES + "\"";
    String disks = "node=~\"$node\",device!~\"loop.*|ram.*|sr.*\"";
    return Dashboard.builder(UID, "Node metrics")
        .description("CPU, memory, disk, network and load of each node, with its operating system.")
        .tags("nodes")
        // The `node` label is what every node-exporter series and recording rule filters on.
        .variable(
            Variable.query(
                "node", "Node", "label_values(node_uname_info{job=\"node-exporter\"}, node)"))
        .row(
            "Operating systems",
            osTable(),
            Panel.stat("Uptime")
                .target(
                    prometheus("time() - node_boot_time_seconds{node=~\"$node\"}")
                        .legend("{{node}}"))
                .unit(Units.SECONDS)
                .size(8, 6))
        .row(
            "CPU",
            Panel.timeseries("CPU utilisation by node")
                .description("Busy share of all CPUs; the legend shows each node's OS.")
                .target(
                    prometheus(
                            "instance:node_cpu_utilisation:rate5m{instance=~\"$node\"}"
                                + " * on (instance) group_left (pretty_name)"
                                + " max by (instance, pretty_name) (node_os_info)")
                        .legend("{{instance}} ({{pretty_name}})"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.8, "red"))
                .showThresholds(),
            Panel.timeseries("Load average (5m)")
                .target(prometheus("node_load5{node=~\"$node\"}").legend("{{node}}"))
                .unit(Units.SHORT)
                .width(6),
            Panel.timeseries("Load per CPU (1m)")
                .description("Above 1 means runnable tasks wait for a CPU.")
                .target(
                    prometheus("instance:node_load1_per_cpu:ratio{instance=~\"$node\"}")
                        .legend("{{instance}}"))
                .unit(Units.SHORT)
                .thresholds(Thresholds.base("green").from(1, "red"))
                .showThresholds()
                .width(6))
        .row(
            "Memory",
            Panel.timeseries("Memory utilisation by node")
                .target(
                    prometheus("instance:node_memory_utilisation:ratio{instance=~\"$node\"}")
                        .legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.85, "red"))
                .showThresholds(),
            Panel.timeseries("Memory used")
                .targets(
                    prometheus(
                            "node_memory_MemTotal_bytes{node=~\"$node\"}"
                                + " - node_memory_MemAvailable_bytes{node=~\"$node\"}")
                        .legend("{{node}} used"),
                    prometheus("node_memory_MemTotal_bytes{node=~\"$node\"}")
                        .legend("{{node}} total"))
                .unit(Units.BYTES)
                .override(
                    FieldOverride.byRegexp(".* total")
                        .set(
                            "custom.lineStyle",
                            Json.obj("fill", "dash", "dash", Json.arr(10, 10)))))
        .row(
            "Disk",
            Panel.timeseries("Filesystem usage")
                .target(
                    prometheus(
                            "1 - node_filesystem_avail_bytes{"
                                + FILESYSTEMS
                                + "}"
                                + " / node_filesystem_size_bytes{"
                                + FILESYSTEMS
                                + "}")
                        .legend("{{node}} {{mountpoint}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.85, "orange").from(0.95, "red"))
                .showThresholds()
                .width(8),
            Panel.barGauge("Filesystem usage now")
                .target(
                    prometheus(
                            "1 - node_filesystem_avail_bytes{"
                                + FILESYSTEMS
                                + "}"
                                + " / node_filesystem_size_bytes{"
                                + FILESYSTEMS
                                + "}")
                        .legend("{{node}} {{mountpoint}}")
                        .instantQuery())
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.85, "orange").from(0.95, "red")),
            Panel.timeseries("Disk I/O")
                .description("Reads above the axis, writes below.")
                .targets(
                    prometheus("rate(node_disk_read_bytes_total{" + disks + "}[$__rate_interval])")
                        .legend("{{node}} {{device}} read"),
                    prometheus(
                            "rate(node_disk_written_bytes_total{" + disks + "}[$__rate_interval])")
                        .legend("{{node}} {{device}} write"))
                .unit(Units.BYTES_PER_SECOND)
                .override(FieldOverride.byRegexp(".* write").negativeY())
                .width(8))
        .row(
            "Network",
            Panel.timeseries("Network traffic by node and interface")
                .description(
                    "Receive above the axis, transmit below; virtual interfaces ("
                        + VIRTUAL_INTERFACES
                        + ") are left out.")
                .targets(
                    prometheus(
                            "rate(node_network_receive_bytes_total{" + net + "}[$__rate_interval])")
                        .legend("{{node}} {{device}} receive"),
                    prometheus(
                            "rate(node_network_transmit_bytes_total{"
                                + net
                                + "}[$__rate_interval])")
                        .legend("{{node}} {{device}} transmit"))
                .unit(Units.BYTES_PER_SECOND)
                .override(FieldOverride.byRegexp(".* transmit").negativeY())
                .width(16),
            Panel.timeseries("Network errors and drops")
                .target(
                    prometheus(
                            "sum by (node) ("
                                + "rate(node_network_receive_errs_total{"
                                + net
                                + "}[$__rate_interval])"
                                + " + rate(node_network_transmit_errs_total{"
                                + net
                                + "}[$__rate_interval])"
                                + " + rate(node_network_receive_drop_total{"
                                + net
                                + "}[$__rate_interval])"
                                + " + rate(node_network_transmit_drop_total{"
                                + net
                                + "}[$__rate_interval]))")
                        .legend("{{node}}"))
                .unit(Units.OPS_PER_SECOND)
                .thresholds(Thresholds.base("green").from(1, "red"))
                .width(8),
            Panel.timeseries("Network traffic per node")
                .description("Totals over physical interfaces, from the recording rules.")
                .targets(
                    prometheus(
                            "instance:node_network_receive_bytes_excluding_virtual:rate5m"
                                + "{instance=~\"$node\"}")
                        .legend("{{instance}} receive"),
                    prometheus(
                            "instance:node_network_transmit_bytes_excluding_virtual:rate5m"
                                + "{instance=~\"$node\"}")
                        .legend("{{instance}} transmit"))
                .unit(Units.BYTES_PER_SECOND)
                .override(FieldOverride.byRegexp(".* transmit").negativeY())
                .width(24))
        .build();
  }

  /**
   * One row per node: the OS family from os-release (debian, rhel, ...) coloured so Debian and RHEL
   * nodes stand apart, the distribution and version, hostname and kernel release.
   */
  private static Panel.Builder osTable() {
    return Panel.table("Operating systems")
        .target(
            prometheus(
                    "max by (node, id, pretty_name, version_id) (node_os_info{node=~\"$node\"})"
                        + " * on (node) group_left (nodename, release, machine)"
                        + " max by (node, nodename, release, machine)"
                        + " (node_uname_info{node=~\"$node\"})")
                .asTable())
        .transform(
            Transformation.organize()
                .hide("Time", "Value")
                .order("node", "id", "pretty_name", "version_id", "nodename", "release", "machine")
                .rename("node", "Node")
                .rename("id", "Family")
                .rename("pretty_name", "Distribution")
                .rename("version_id", "Version")
                .rename("nodename", "Hostname")
                .rename("release", "Kernel")
                .rename("machine", "Arch")
                .build())
        .override(
            FieldOverride.byName("Family")
                .mappings(
                    ValueMapping.of("debian", "Debian", "purple"),
                    ValueMapping.of("ubuntu", "Ubuntu", "orange"),
                    ValueMapping.of("rhel", "RHEL", "red"),
                    ValueMapping.of("rocky", "Rocky Linux", "green"),
                    ValueMapping.of("almalinux", "AlmaLinux", "blue"),
                    ValueMapping.of("centos", "CentOS", "yellow"))
                .colorBackground())
        .sortBy("Node", false)
        .size(16, 6);
  }
}
