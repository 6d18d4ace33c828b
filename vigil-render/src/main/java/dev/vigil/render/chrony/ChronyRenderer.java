package dev.vigil.render.chrony;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.chrony.ChronyConfig.Tier;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.NodeRole;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.time.TimeSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * chrony on every node, as two DaemonSets that form the seeds' hierarchy: on the control-plane
 * nodes chronyd follows the spec's upstream servers, on every other node it follows the
 * control-plane nodes. Under {@code hierarchy: flat}, or when the spec names no control-plane node,
 * one DaemonSet runs the upstream tier everywhere. Each pod has a chrony exporter beside chronyd,
 * scraped as job "chrony-exporter".
 */
@AutoService(ComponentRenderer.class)
public final class ChronyRenderer implements ComponentRenderer {
  public static final String NAME = "chrony";
  public static final String SCRAPE_JOB = "chrony-exporter";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("chrony", "docker.io/dockurr/chrony:4.6.1")
          .image("chrony-exporter", "quay.io/superq/chrony-exporter:v0.13.3")
          .tags(Tag.TIME)
          .scrapeJobs(SCRAPE_JOB)
          .ruleFiles(TimeRules.FILE)
          .dashboardUids(TimeSyncDashboard.UID)
          .build();

  public static final int EXPORTER_PORT = 9123;

  /** Pod label that tells the two DaemonSets' pods apart (their selectors include it). */
  public static final String TIER_LABEL = "vigil.dev/chrony-tier";

  /** Where chronyd keeps its drift file on the host. */
  public static final String HOST_STATE_DIR = "/var/lib/vigil/chrony";

  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  /** Lint rules chronyd trips by design; docs/components-agent.md explains each. */
  static final String[] EXEMPT_RULES = {
    "pss-capabilities-baseline",
    "pss-capabilities-restricted",
    "pss-host-namespaces",
    "pss-host-ports",
    "pss-host-path",
    "pss-volume-types",
    "pss-run-as-non-root",
    "pss-run-as-user",
    "run-as-group-root"
  };

  public static final String EXEMPTION_REASON =
      "chronyd disciplines the host clock, which is not namespaced: it needs CAP_SYS_TIME"
          + " (adjtimex, settimeofday) and runs as root so the capability is effective, with every"
          + " other capability dropped except NET_BIND_SERVICE for serving UDP 123; the host"
          + " network serves the other nodes on the node address; a hostPath keeps the drift file"
          + " across restarts. No privilege escalation, read-only root filesystem, seccomp"
          + " RuntimeDefault. The exporter beside it runs as nobody with every capability dropped.";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.time() != null && station.time().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(
        ScrapeJobs.pods(SCRAPE_JOB, infra(ctx), NAME, "metrics", ScrapeJobs.PodScrape.PER_NODE));
  }

  @Override
  public Map<String, String> ruleFiles(RenderContext ctx) {
    return Map.of(TimeRules.FILE, TimeRules.render(ctx.station().time().thresholds()));
  }

  @Override
  public List<Dashboard> dashboards(RenderContext ctx) {
    return List.of(TimeSyncDashboard.build(ctx.station().time().thresholds()));
  }

  /**
   * chronyd binds UDP 123 on the host network: a host's own NTP daemon holds that port, and the pod
   * restarts until it is stopped. RHEL and its kin enable chronyd out of the box.
   */
  static String hostDaemonNote(List<Node> nodes) {
    List<String> rhel =
        nodes.stream()
            .filter(n -> n.os() == dev.vigil.spec.model.OsFamily.RHEL)
            .map(Node::name)
            .toList();
    return "chrony serves NTP on UDP 123 of each node's own address: stop the node's NTP daemon first"
        + " (`timedatectl set-ntp false`, or `systemctl disable --now chronyd` / `systemd-timesyncd`)"
        + (rhel.isEmpty() ? "" : "; RHEL runs chronyd by default on " + String.join(", ", rhel))
        + ". `vigil verify time` checks the clocks afterwards.";
  }

  static String infra(RenderContext ctx) {
    return ctx.station().cluster().infraNamespace();
  }

  /** One DaemonSet's share of the hierarchy: its tier, servers and the nodes it runs on. */
  record Placement(Tier tier, List<String> servers, List<String> onlyOn, List<String> notOn) {
    String objectName() {
      return NAME + "-" + tier.name().toLowerCase();
    }
  }

  /** The DaemonSets the spec asks for. */
  static List<Placement> placements(Station station) {
    TimeSpec time = station.time();
    List<String> upstream = time.effectiveUpstream();
    List<Node> nodes = station.nodes() == null ? List.of() : station.nodes();
    List<Node> controlPlane =
        nodes.stream().filter(n -> n.role() == NodeRole.CONTROL_PLANE).toList();
    if (time.hierarchy() == TimeSpec.TimeHierarchy.FLAT || controlPlane.isEmpty()) {
      return List.of(new Placement(Tier.UPSTREAM, upstream, List.of(), List.of()));
    }
    List<String> cpNames = controlPlane.stream().map(Node::name).toList();
    List<String> cpAddresses = controlPlane.stream().map(n -> n.address().text()).toList();
    return List.of(
        new Placement(Tier.UPSTREAM, upstream, cpNames, List.of()),
        new Placement(Tier.CLUSTER, cpAddresses, List.of(), cpNames));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, infra(ctx), "time-sync", ctx.image(COMPONENT, "chrony", null));
    out.add(kit.serviceAccount(false));
    List<Node> nodes = ctx.station().nodes() == null ? List.of() : ctx.station().nodes();
    out.note(hostDaemonNote(nodes));
    List<String> allow = ChronyConfig.allowedSubnets(nodes);
    for (Placement p : placements(ctx.station())) {
      out.add(
          kit.configMap(
              p.objectName(),
              Map.of("chrony.conf", ChronyConfig.render(p.tier(), p.servers(), allow))));
      out.add(daemonSet(kit, p));
    }
    // Host-network pods are outside most CNIs' NetworkPolicy enforcement; the policy states the
    // intent and applies where the CNI does enforce it.
    List<NetworkPolicyPeer> nodeNetworks = new ArrayList<>();
    for (String subnet : allow) {
      nodeNetworks.add(
          new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(subnet).endIpBlock().build());
    }
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.udp(ChronyConfig.NTP_PORT)),
                nodeNetworks.toArray(NetworkPolicyPeer[]::new))
            .allowIn(
                List.of(NetPol.tcp(EXPORTER_PORT)),
                NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
  }

  private static DaemonSet daemonSet(ComponentObjects kit, Placement p) {
    String tier = p.tier().name().toLowerCase();
    Map<String, String> selector = new LinkedHashMap<>(kit.selectorLabels());
    selector.put(TIER_LABEL, tier);
    Map<String, String> podLabels = new LinkedHashMap<>(kit.labels());
    podLabels.put(TIER_LABEL, tier);
    var meta = kit.meta(p.objectName());
    meta.setAnnotations(ComponentObjects.exemption(EXEMPTION_REASON, EXEMPT_RULES));
    return new DaemonSetBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(false)
        .withHostNetwork(true)
        .withDnsPolicy("ClusterFirstWithHostNet")
        .withPriorityClassName("system-node-critical")
        .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
        .withTolerations(NodeExporterRenderer.tolerateAll())
        .withAffinity(affinity(p))
        .withContainers(chronyd(kit), exporter(kit))
        .withVolumes(
            new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                .withName(p.objectName())
                .endConfigMap()
                .build(),
            new VolumeBuilder()
                .withName("state")
                .withNewHostPath()
                .withPath(HOST_STATE_DIR)
                .withType("DirectoryOrCreate")
                .endHostPath()
                .build(),
            new VolumeBuilder()
                .withName("run")
                .withNewEmptyDir()
                .withMedium("Memory")
                .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi"))
                .endEmptyDir()
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Control-plane tier on the named nodes; the cluster tier everywhere else. */
  private static Affinity affinity(Placement p) {
    if (p.onlyOn().isEmpty() && p.notOn().isEmpty()) {
      return null;
    }
    boolean only = !p.onlyOn().isEmpty();
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(HOSTNAME_LABEL)
        .withOperator(only ? "In" : "NotIn")
        .withValues(only ? p.onlyOn() : p.notOn())
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** chronyd's security: root with SYS_TIME (and NET_BIND_SERVICE for port 123), nothing else. */
  static SecurityContext chronydSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        // Kubernetes grants added capabilities to uid 0 only (no ambient capabilities).
        .withRunAsNonRoot(false)
        .withRunAsUser(0L)
        .withRunAsGroup(0L)
        .withCapabilities(
            new CapabilitiesBuilder()
                .withDrop("ALL")
                .withAdd("SYS_TIME", "NET_BIND_SERVICE")
                .build())
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static Container chronyd(ComponentObjects kit) {
    return kit.container(
            "chronyd", kit.image(), ComponentObjects.resources(null, "10m", "16Mi", "100m", "64Mi"))
        // The image's entrypoint writes its own chrony.conf; run chronyd directly on ours.
        // -d: foreground, log to stderr; -u root: keep the capabilities (no switch to a user).
        .withCommand("/usr/sbin/chronyd")
        .withArgs("-d", "-u", "root", "-f", "/etc/chrony/vigil/chrony.conf")
        .withSecurityContext(chronydSecurity())
        .withPorts(
            new ContainerPortBuilder()
                .withName("ntp")
                .withContainerPort(ChronyConfig.NTP_PORT)
                .withHostPort(ChronyConfig.NTP_PORT)
                .withProtocol("UDP")
                .build())
        .withVolumeMounts(
            new VolumeMountBuilder()
                .withName("config")
                .withMountPath("/etc/chrony/vigil")
                .withReadOnly(true)
                .build(),
            new VolumeMountBuilder()
                .withName("state")
                .withMountPath(ChronyConfig.STATE_DIR)
                .build(),
            new VolumeMountBuilder().withName("run").withMountPath(ChronyConfig.RUN_DIR).build())
        // chronyc answers whether or not the clock is synchronised: the probes test that chronyd
        // runs and serves its command port; synchronisation is the alerts' job.
        .withLivenessProbe(chronyc(30, 4))
        .withReadinessProbe(chronyc(10, 3))
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Probe chronyc(int period, int failures) {
    return new ProbeBuilder()
        .withNewExec()
        // chronyc's default command port is the one chrony.conf sets (323).
        .withCommand("chronyc", "-n", "-h", "127.0.0.1", "tracking")
        .endExec()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failures)
        .build();
  }

  private static Container exporter(ComponentObjects kit) {
    return kit.container(
            "exporter",
            kit.ctx().image(COMPONENT, "chrony-exporter", null),
            ComponentObjects.resources(null, "10m", "16Mi", "100m", "64Mi"))
        .withArgs(
            "--web.listen-address=$(HOST_IP):" + EXPORTER_PORT,
            "--chrony.address=127.0.0.1:" + ChronyConfig.CMD_PORT,
            "--collector.tracking",
            "--collector.sources",
            "--no-collector.dns-lookups")
        .withEnv(
            new EnvVarBuilder()
                .withName("HOST_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.hostIP")
                .endFieldRef()
                .endValueFrom()
                .build())
        .withPorts(
            new ContainerPortBuilder()
                .withName("metrics")
                .withContainerPort(EXPORTER_PORT)
                .withHostPort(EXPORTER_PORT)
                .withProtocol("TCP")
                .build())
        .withLivenessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 30, 4))
        .withReadinessProbe(ComponentObjects.httpProbe("/", "metrics", 0, 10, 3))
        .build();
  }
}
