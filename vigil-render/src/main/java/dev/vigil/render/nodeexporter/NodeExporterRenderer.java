package dev.vigil.render.nodeexporter;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.NodeExporterSpec;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;

/** node-exporter on every node, reading the host's /proc, /sys and root filesystem. */
@AutoService(ComponentRenderer.class)
public final class NodeExporterRenderer implements ComponentRenderer {
  public static final String NAME = "node-exporter";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("node-exporter", "quay.io/prometheus/node-exporter:v1.9.1")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME)
          .ruleFiles("node-exporter.rules.yaml")
          .dashboards(new NodeMetrics(), new NodeUse())
          .build();

  /** Lint rules node-exporter is exempt from, and why (shown on the object). */
  public static final String EXEMPTION_REASON =
      "node-exporter reports the host, not the pod: it needs the host network (to report real interfaces"
          + " and be scraped at the node address), the host PID namespace (process and load metrics) and"
          + " read-only host paths (/, /proc, /sys). It runs as nobody with every capability dropped.";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().nodeExporter().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(
        ScrapeJobs.pods(
            NAME, ctx.agentsNamespace(), NAME, "metrics", ScrapeJobs.PodScrape.PER_NODE));
  }

  /** Tolerates every taint: host agents must run on control-plane and tainted nodes too. */
  public static io.fabric8.kubernetes.api.model.Toleration tolerateAll() {
    return new TolerationBuilder().withOperator("Exists").build();
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    NodeExporterSpec spec = ctx.components().nodeExporter();
    ComponentObjects kit =
        new ComponentObjects(
            ctx,
            NAME,
            ctx.agentsNamespace(),
            "host-metrics",
            ctx.image(COMPONENT, NAME, spec.image()));
    int port = spec.port();
    out.add(kit.serviceAccount(false));
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "50m", "64Mi", "250m", "128Mi"))
            .withArgs(
                "--web.listen-address=$(HOST_IP):" + port,
                "--path.procfs=/host/proc",
                "--path.sysfs=/host/sys",
                "--path.rootfs=/host/root",
                "--path.udev.data=/host/root/run/udev/data",
                // The same virtual and container filesystems the alert rules skip.
                "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+|var/lib/containerd/.+)($|/)",
                "--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs|tmpfs)$",
                "--collector.netclass.ignored-devices=^(veth.*|cali.*|flannel.*|cni.*|docker.*|virbr.*|vxlan.*|tunl.*|kube-ipvs.*)$",
                "--collector.netdev.device-exclude=^(veth.*|cali.*|flannel.*|cni.*|docker.*|virbr.*|vxlan.*|tunl.*|kube-ipvs.*)$",
                // Clock state from the kernel (offset, sync status) backs the time-sync alerts.
                "--collector.timex",
                // Failed services (NodeSystemdUnitFailed), read from systemd over the host's D-Bus
                // socket; services only, to keep the series per node in the hundreds.
                "--collector.systemd",
                "--collector.systemd.unit-include=.+\\.service")
            .withEnv(
                new EnvVarBuilder()
                    .withName("HOST_IP")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("status.hostIP")
                    .endFieldRef()
                    .endValueFrom()
                    .build(),
                // The system bus socket of the host, through the read-only root mount.
                new EnvVarBuilder()
                    .withName("DBUS_SYSTEM_BUS_ADDRESS")
                    .withValue("unix:path=/host/root/run/dbus/system_bus_socket")
                    .build())
            .withPorts(
                new ContainerPortBuilder()
                    .withName("metrics")
                    .withContainerPort(port)
                    .withHostPort(port)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("proc")
                    .withMountPath("/host/proc")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("sys")
                    .withMountPath("/host/sys")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("root")
                    .withMountPath("/host/root")
                    .withReadOnly(true)
                    .withMountPropagation("HostToContainer")
                    .build())
            .withLivenessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 10, 3))
            .build();
    var meta = kit.meta(NAME);
    meta.setAnnotations(ComponentObjects.exemption(EXEMPTION_REASON, HOST_ACCESS_RULES));
    out.add(
        new DaemonSetBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withSelector(kit.selector())
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("10%"))
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withHostNetwork(true)
            .withHostPID(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withPriorityClassName("system-node-critical")
            .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
            .withTolerations(tolerateAll())
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("proc")
                    .withNewHostPath()
                    .withPath("/proc")
                    .withType("Directory")
                    .endHostPath()
                    .build(),
                new VolumeBuilder()
                    .withName("sys")
                    .withNewHostPath()
                    .withPath("/sys")
                    .withType("Directory")
                    .endHostPath()
                    .build(),
                new VolumeBuilder()
                    .withName("root")
                    .withNewHostPath()
                    .withPath("/")
                    .withType("Directory")
                    .endHostPath()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    // Host-network pods are outside NetworkPolicy's reach; the policy documents intent and
    // covers CNIs that do apply it.
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(port)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
  }

  /** Lint rules a host-metrics agent trips by design; see docs/lint.md. */
  static final String[] HOST_ACCESS_RULES = {
    "pss-host-namespaces", "pss-host-path", "pss-volume-types", "pss-host-ports"
  };
}
