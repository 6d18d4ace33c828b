package dev.vigil.render.ipmi;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.IpmiExporterSpec;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;

/** IPMI exporter on the nodes whose spec says ipmi: true, reading the local BMC. */
@AutoService(ComponentRenderer.class)
public final class IpmiExporterRenderer implements ComponentRenderer {
  public static final String NAME = "ipmi-exporter";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("ipmi-exporter", "quay.io/prometheuscommunity/ipmi-exporter:v1.10.1")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME)
          .ruleFiles("ipmi-exporter.rules.yaml")
          .dashboards(new IpmiHardware())
          .build();
  public static final int PORT = 9290;

  /** The writable scratch directory: the FIFOs of each FreeIPMI call and the sensor cache. */
  static final String SCRATCH = "/tmp";

  public static final String EXEMPTION_REASON =
      "The IPMI exporter talks to the node's BMC through /dev/ipmi0 with FreeIPMI; device access from a"
          + " container needs a privileged container running as root. It is confined to the nodes with"
          + " ipmi: true in the spec, mounts nothing else from the host, and serves metrics only.";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    Boolean set = station.components().ipmiExporter().enabled();
    return set != null ? set : station.nodes().stream().anyMatch(Node::ipmi);
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(
        ScrapeJobs.pods(
            NAME, ctx.agentsNamespace(), NAME, "metrics", ScrapeJobs.PodScrape.PER_NODE));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    IpmiExporterSpec spec = ctx.components().ipmiExporter();
    ComponentObjects kit =
        new ComponentObjects(
            ctx,
            NAME,
            ctx.agentsNamespace(),
            "hardware-metrics",
            ctx.image(COMPONENT, NAME, spec.image()));
    List<String> nodes =
        ctx.station().nodes().stream().filter(Node::ipmi).map(Node::name).sorted().toList();
    out.add(kit.serviceAccount(false));
    out.add(
        kit.configMap(
            "ipmi-exporter-config",
            Map.of(
                "ipmi_local.yml",
                "# Rendered by vigil: local BMC through /dev/ipmi0.\n"
                    + "modules:\n  default:\n    collectors:\n      - ipmi\n      - bmc\n      - chassis\n      - dcmi\n"
                    // FreeIPMI's sensor cache goes to the home directory unless told otherwise; the
                    // root
                    // filesystem is read-only, so it goes to the scratch volume instead.
                    + "    custom_args:\n      ipmi:\n        - --sdr-cache-directory="
                    + SCRATCH
                    + "\n")));
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "50m", "64Mi", "200m", "128Mi"))
            .withArgs(
                "--config.file=/etc/ipmi-exporter/ipmi_local.yml", "--web.listen-address=:" + PORT)
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withPrivileged(true)
                    .withRunAsUser(0L)
                    .withRunAsNonRoot(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .build())
            .withPorts(
                new ContainerPortBuilder()
                    .withName("metrics")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/ipmi-exporter")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("ipmi").withMountPath("/dev/ipmi0").build(),
                // Every FreeIPMI call passes its config through a FIFO in the temporary directory.
                new VolumeMountBuilder().withName("tmp").withMountPath(SCRATCH).build())
            .withLivenessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 30, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 10, 3))
            .build();
    var meta = kit.meta(NAME);
    meta.setAnnotations(
        ComponentObjects.exemption(
            EXEMPTION_REASON,
            "pss-privileged",
            "pss-host-path",
            "pss-volume-types",
            "pss-run-as-non-root",
            "pss-run-as-user",
            "pss-capabilities-baseline",
            "pss-capabilities-restricted",
            "pss-privilege-escalation",
            "run-as-group-root"));
    var podSecurity = ComponentObjects.podSecurity(0, 0);
    podSecurity.setRunAsNonRoot(false);
    out.add(
        new DaemonSetBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(podSecurity)
            .withTolerations(NodeExporterRenderer.tolerateAll())
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("kubernetes.io/hostname")
            .withOperator("In")
            .withValues(nodes)
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("ipmi-exporter-config")
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("ipmi")
                    .withNewHostPath()
                    .withPath("/dev/ipmi0")
                    .withType("CharDevice")
                    .endHostPath()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .restrictEgress()
            .build());
  }
}
