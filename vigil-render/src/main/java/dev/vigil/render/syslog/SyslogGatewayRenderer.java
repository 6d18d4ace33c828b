package dev.vigil.render.syslog;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.syslog.SyslogSpec;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The syslog gateway of {@code vigil agent} as a StatefulSet: its journal and archive on a volume,
 * the station's {@code syslog:} section in a ConfigMap, syslog on port 514 of a Service (NodePort
 * 30514, UDP and TCP, in the homelab profile) forwarded to the agent's unprivileged listeners, and
 * its metrics scraped as job "vigil-agent".
 */
@AutoService(ComponentRenderer.class)
public final class SyslogGatewayRenderer implements ComponentRenderer {
  public static final String NAME = "syslog-gateway";
  public static final String SCRAPE_JOB = "vigil-agent";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("vigil-agent", "ghcr.io/vigil-dev/vigil-agent:0.1.0")
          .tags(Tag.SYSLOG, Tag.LOGGING)
          .scrapeJobs(SCRAPE_JOB)
          .ruleFiles("syslog.rules.yaml")
          .dashboardUids(SyslogDashboard.UID)
          // The journal and archive live on its volume.
          .stateful()
          .dependsOn("loki")
          .build();
  public static final String CONFIG_MAP = NAME + "-config";

  /** The agent's HTTP port (/metrics, /healthz, /readyz): its --http-port default. */
  public static final int HTTP_PORT = 9464;

  /** Port devices send to: the standard syslog port on the Service. */
  public static final int SERVICE_PORT = 514;

  public static final int NODE_PORT = 30514;

  /** Uid and gid of the agent image (Jib {@code <user>}). */
  static final long UID = 65532;

  static final String DATA_DIR = "/var/lib/vigil";
  static final String CONFIG_DIR = "/etc/vigil";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.syslog() != null && station.syslog().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(SCRAPE_JOB, infra(ctx), NAME, "http"));
  }

  @Override
  public List<Dashboard> dashboards(RenderContext ctx) {
    return List.of(SyslogDashboard.build());
  }

  static String infra(RenderContext ctx) {
    return ctx.station().cluster().infraNamespace();
  }

  /** The gateway's listener ports inside the pod; 0 for a listener that is off. */
  record Listeners(int udp, int tcp, int tls) {}

  /**
   * Ports inside the pod: the spec's, except that port 0 (any free port, for tests) and ports below
   * 1024 become the defaults. The agent runs without capabilities, and devices reach it on the
   * Service's port 514 whatever it listens on inside.
   */
  static Listeners listeners(SyslogSpec spec) {
    SyslogSpec.Listen l = spec.listen();
    SyslogSpec.Listen defaults = SyslogSpec.Listen.defaults();
    int udp = l.udp() ? unprivileged(l.udpPort(), defaults.udpPort()) : 0;
    int tcp = l.tcp() ? unprivileged(l.tcpPort(), defaults.tcpPort()) : 0;
    int tls = l.tls().enabled() ? unprivileged(l.tls().port(), defaults.tls().port()) : 0;
    return new Listeners(udp, tcp, tls);
  }

  private static int unprivileged(int port, int fallback) {
    return port < 1024 ? fallback : port;
  }

  /** The in-cluster Loki URL, when Loki is part of this stack. */
  static String inClusterLoki(RenderContext ctx) {
    return "http://" + ctx.serviceHost(LokiRenderer.NAME) + ":" + LokiRenderer.PORT;
  }

  /**
   * The Loki URL the gateway pushes to: the spec's, except that the spec's default (which names the
   * default namespace) becomes this stack's Loki Service when Loki is rendered.
   */
  static String lokiUrl(RenderContext ctx) {
    String url = ctx.station().syslog().loki().url();
    if (url.equals(SyslogSpec.Loki.defaults().url()) && ctx.isEnabled(LokiRenderer.NAME)) {
      return inClusterLoki(ctx);
    }
    return url;
  }

  /**
   * The agent's spec file: a station holding this station's {@code syslog:} section (with the
   * effective Loki URL) and nothing the gateway pod must not run (time probe, power manager).
   */
  static String agentSpec(RenderContext ctx) {
    Station s = ctx.station();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", s.apiVersion());
    doc.put("kind", s.kind());
    @SuppressWarnings("unchecked")
    Map<String, Object> cluster = (Map<String, Object>) SpecYaml.tree(s.cluster());
    doc.put("cluster", cluster);
    doc.put("profile", SpecYaml.tree(s.profile()));
    @SuppressWarnings("unchecked")
    Map<String, Object> syslog = (Map<String, Object>) SpecYaml.tree(s.syslog());
    @SuppressWarnings("unchecked")
    Map<String, Object> loki = (Map<String, Object>) syslog.get("loki");
    loki.put("url", lokiUrl(ctx));
    if (loki.get("tenant") == null && lokiUrl(ctx).equals(inClusterLoki(ctx))) {
      // The stack's own Loki requires a tenant in production; the gateway writes to the stack's.
      LokiRenderer.tenant(ctx).ifPresent(t -> loki.put("tenant", t));
    }
    Listeners ports = listeners(s.syslog());
    @SuppressWarnings("unchecked")
    Map<String, Object> listen = (Map<String, Object>) syslog.get("listen");
    if (ports.udp() > 0) {
      listen.put("udpPort", ports.udp());
    }
    if (ports.tcp() > 0) {
      listen.put("tcpPort", ports.tcp());
    }
    if (ports.tls() > 0) {
      @SuppressWarnings("unchecked")
      Map<String, Object> tls = (Map<String, Object>) listen.get("tls");
      tls.put("port", ports.tls());
    }
    doc.put("syslog", syslog);
    doc.put("time", Map.of("enabled", false));
    doc.put("power", Map.of("enabled", false));
    return "# Rendered by vigil: the station's syslog section, run by the syslog gateway pod.\n"
        + Yaml.write(doc);
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    SyslogSpec spec = ctx.station().syslog();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, infra(ctx), "syslog", ctx.image(COMPONENT, "vigil-agent", null));
    Listeners ports = listeners(spec);
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap(CONFIG_MAP, Map.of("vigil.yaml", agentSpec(ctx))));
    out.add(statefulSet(kit, spec, ports));
    out.add(
        kit.headlessService(NAME + "-headless", ComponentObjects.port("http", HTTP_PORT, "http")));
    out.add(service(kit, ports, serviceType(ctx), ctx.station().syslog().service()));
    out.add(kit.pdb(1));
    List<NetworkPolicyPort> syslogPorts = new ArrayList<>();
    if (ports.udp() > 0) {
      syslogPorts.add(NetPol.udp(ports.udp()));
    }
    if (ports.tcp() > 0) {
      syslogPorts.add(NetPol.tcp(ports.tcp()));
    }
    if (ports.tls() > 0) {
      syslogPorts.add(NetPol.tcp(ports.tls()));
    }
    NetPol np = NetPol.forComponent(kit);
    if (!syslogPorts.isEmpty()) {
      // Devices and nodes anywhere may send syslog; that is the gateway's job.
      np.allowIn(syslogPorts);
    }
    np.allowIn(
        List.of(NetPol.tcp(HTTP_PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME));
    np.restrictEgress();
    String loki = lokiUrl(ctx);
    if (loki.equals(inClusterLoki(ctx))) {
      np.allowOut(
          List.of(NetPol.tcp(LokiRenderer.PORT)), NetPol.app(ctx.namespace(), LokiRenderer.NAME));
    } else {
      // A Loki outside this stack: its address is not known as a peer, so only its port is pinned.
      np.allowOut(List.of(NetPol.tcp(port(loki))));
    }
    out.add(np.build());
  }

  static int port(String url) {
    URI u = URI.create(url);
    if (u.getPort() > 0) {
      return u.getPort();
    }
    return "https".equals(u.getScheme()) ? 443 : 80;
  }

  /** The spec's Service type, else NodePort in homelab and LoadBalancer in production. */
  static SyslogSpec.ServiceType serviceType(RenderContext ctx) {
    SyslogSpec.GatewayService s = ctx.station().syslog().service();
    if (s != null && s.type() != null) {
      return s.type();
    }
    return ctx.production()
        ? SyslogSpec.ServiceType.LOAD_BALANCER
        : SyslogSpec.ServiceType.NODE_PORT;
  }

  private static Service service(
      ComponentObjects kit,
      Listeners ports,
      SyslogSpec.ServiceType type,
      SyslogSpec.GatewayService spec) {
    int nodePort = type == SyslogSpec.ServiceType.NODE_PORT ? NODE_PORT : 0;
    List<ServicePort> list = new ArrayList<>();
    if (ports.udp() > 0) {
      list.add(servicePort("syslog-udp", "UDP", SERVICE_PORT, "syslog-udp", nodePort));
    }
    if (ports.tcp() > 0) {
      list.add(servicePort("syslog-tcp", "TCP", SERVICE_PORT, "syslog-tcp", nodePort));
    }
    if (ports.tls() > 0) {
      // No fixed NodePort for TLS: the cluster allocates one when the Service is NodePort.
      list.add(servicePort("syslog-tls", "TCP", 6514, "syslog-tls", 0));
    }
    var meta = kit.meta(NAME);
    if (type != SyslogSpec.ServiceType.CLUSTER_IP) {
      meta.setAnnotations(
          ComponentObjects.exemption(
              "Syslog is UDP and TCP, not HTTP, so no Ingress can carry it: devices outside the cluster send"
                  + " to this Service. It serves the syslog ports only, no API, and the gateway reads what it"
                  + " receives as log lines.",
              "service-exposed"));
    }
    var b =
        new ServiceBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withType(
                switch (type) {
                  case NODE_PORT -> "NodePort";
                  case LOAD_BALANCER -> "LoadBalancer";
                  case CLUSTER_IP -> "ClusterIP";
                })
            .withSelector(kit.selectorLabels())
            .withPorts(list);
    if (type != SyslogSpec.ServiceType.CLUSTER_IP) {
      // Local keeps every sender's own address, which the gateway files messages under; Cluster
      // would replace it with a node's.
      boolean local =
          spec == null || spec.externalTrafficPolicy() != SyslogSpec.TrafficPolicy.CLUSTER;
      b.withExternalTrafficPolicy(local ? "Local" : "Cluster");
    }
    if (type == SyslogSpec.ServiceType.LOAD_BALANCER
        && spec != null
        && spec.loadBalancerIP() != null) {
      b.withLoadBalancerIP(spec.loadBalancerIP());
    }
    return b.endSpec().build();
  }

  private static ServicePort servicePort(
      String name, String protocol, int port, String target, int nodePort) {
    ServicePortBuilder b =
        new ServicePortBuilder()
            .withName(name)
            .withProtocol(protocol)
            .withPort(port)
            .withTargetPort(new IntOrString(target));
    if (nodePort > 0) {
      b.withNodePort(nodePort);
    }
    return b.build();
  }

  /**
   * Journal budget plus archive budget plus a tenth for segments in flight and the dead letters.
   */
  static long volumeBytes(SyslogSpec spec) {
    long bytes =
        spec.journal().maxBytes() + (spec.archive().enabled() ? spec.archive().maxBytes() : 0);
    return bytes + bytes / 10;
  }

  /** A volume request in whole Gi, rounded up. */
  static String volumeSize(SyslogSpec spec) {
    long gi = 1L << 30;
    return ((volumeBytes(spec) + gi - 1) / gi) + "Gi";
  }

  private StatefulSet statefulSet(ComponentObjects kit, SyslogSpec spec, Listeners ports) {
    List<ContainerPort> containerPorts = new ArrayList<>();
    if (ports.udp() > 0) {
      containerPorts.add(
          new ContainerPortBuilder()
              .withName("syslog-udp")
              .withContainerPort(ports.udp())
              .withProtocol("UDP")
              .build());
    }
    if (ports.tcp() > 0) {
      containerPorts.add(
          new ContainerPortBuilder()
              .withName("syslog-tcp")
              .withContainerPort(ports.tcp())
              .withProtocol("TCP")
              .build());
    }
    if (ports.tls() > 0) {
      containerPorts.add(
          new ContainerPortBuilder()
              .withName("syslog-tls")
              .withContainerPort(ports.tls())
              .withProtocol("TCP")
              .build());
    }
    containerPorts.add(
        new ContainerPortBuilder()
            .withName("http")
            .withContainerPort(HTTP_PORT)
            .withProtocol("TCP")
            .build());
    List<VolumeMount> mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath(CONFIG_DIR)
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("data").withMountPath(DATA_DIR).build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build()));
    List<Volume> volumes =
        new ArrayList<>(
            List.of(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName(CONFIG_MAP)
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                    .endEmptyDir()
                    .build()));
    if (spec.listen().tls().enabled()) {
      // Certificates come from a Secret the operator creates (never rendered), mounted where
      // the spec's certFile points.
      Path dir = Path.of(spec.listen().tls().certFile()).getParent();
      mounts.add(
          new VolumeMountBuilder()
              .withName("tls")
              .withMountPath(dir == null ? "/" : dir.toString())
              .withReadOnly(true)
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("tls")
              .withNewSecret()
              .withSecretName(NAME + "-tls")
              .endSecret()
              .build());
    }
    var container =
        kit.container(
                "agent",
                kit.image(),
                ComponentObjects.resources(null, "100m", "256Mi", "1", "512Mi"))
            // --option=value: a bare "9464" would be written as a YAML number, not a string.
            .withArgs(
                "--file=" + CONFIG_DIR + "/vigil.yaml",
                "--data-dir=" + DATA_DIR,
                "--http-port=" + HTTP_PORT)
            // JVM flags: the image's entrypoint, from the launcher's one definition
            // (docs/image.md).
            .withPorts(containerPorts)
            .withVolumeMounts(mounts)
            // Journal replay after a crash delays readiness; the startup probe allows 5 minutes.
            .withStartupProbe(ComponentObjects.httpProbe("/healthz", "http", 0, 5, 60))
            .withLivenessProbe(ComponentObjects.httpProbe("/healthz", "http", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/readyz", "http", 0, 10, 3))
            .build();
    var podSecurity = ComponentObjects.podSecurity(UID, UID);
    Map<String, String> nodeSelector =
        spec.service() != null && spec.service().node() != null
            ? Map.of("kubernetes.io/hostname", spec.service().node())
            : null;
    return new StatefulSetBuilder()
        .withMetadata(kit.meta(NAME))
        .withNewSpec()
        // One journal, one writer: more replicas would split the stream across journals.
        .withReplicas(1)
        .withServiceName(NAME + "-headless")
        .withSelector(kit.selector())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(kit.labels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(podSecurity)
        // Devices send to a fixed node's address; the Service answers there with the Local policy.
        .withNodeSelector(nodeSelector)
        // The agent drains the journal to Loki on SIGTERM, waiting up to 30 s.
        .withTerminationGracePeriodSeconds(45L)
        .withContainers(container)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(kit.dataClaim(volumeSize(spec), null))
        .endSpec()
        .build();
  }
}
