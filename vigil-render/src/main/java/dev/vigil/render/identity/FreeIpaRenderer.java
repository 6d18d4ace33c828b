package dev.vigil.render.identity;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.blackbox.BlackboxExporterRenderer;
import dev.vigil.render.grafana.GrafanaRenderer;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.spec.model.BlackboxExporterSpec;
import dev.vigil.spec.model.IdentitySpec;
import dev.vigil.spec.model.IdentitySpec.FreeIpa;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.IpAddress;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FreeIPA (Kerberos KDC, 389 Directory Server, Dogtag CA, the web UI and optionally BIND) as one
 * StatefulSet pod in the infrastructure namespace, run the way the freeipa-container project runs
 * it in its own Kubernetes test: systemd as the container's init, in a user namespace of its own
 * ({@code hostUsers: false}), read-only root, everything it keeps under /data. For an existing
 * FreeIPA ({@code deploy: false}) nothing is deployed: its probes, alerts and Grafana's LDAP login
 * are what the station keeps.
 */
@AutoService(ComponentRenderer.class)
public final class FreeIpaRenderer implements ComponentRenderer {
  public static final String NAME = "freeipa";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("freeipa-server", "quay.io/freeipa/freeipa-server:rocky-9-4.13.1")
          .tags(Tag.IDENTITY)
          .ruleFiles("freeipa.rules.yaml")
          .stateful()
          .build();

  /** The label FreeIPA's probes carry, which its alerts select. */
  public static final String SERVICE_LABEL = "freeipa";

  static final String DATA = "/data";

  /**
   * The container runtime's default capabilities that the pod keeps (every one dropped first):
   * systemd starts FreeIPA's services as root and as their own users (dirsrv, named, pkiuser,
   * ipaapi, kdcproxy), changes file ownership under /data, binds ports below 1024 and signals its
   * services. NET_RAW, also in containerd's default set, is not needed and not kept.
   */
  static final List<String> CAPABILITIES =
      List.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  static final String EXEMPTION_REASON =
      "FreeIPA is a set of system services under systemd (389 Directory Server, the Kerberos KDC,"
          + " Dogtag CA, httpd, certmonger, named) started as root and as their own users: the"
          + " container keeps the runtime's default capabilities (not NET_RAW) and privilege"
          + " escalation, as freeipa-container's own Kubernetes test runs it, and runs in a user"
          + " namespace of its own (hostUsers: false), so its root is not the node's root.";

  private record Port(String name, int port, String protocol, int nodePort) {}

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return freeIpa(station) != null;
  }

  static FreeIpa freeIpa(Station station) {
    IdentitySpec identity = station.identity();
    return identity == null ? null : identity.freeipa();
  }

  /**
   * What the blackbox exporter checks of FreeIPA: the KDC over TCP, LDAP, LDAPS and the web UI
   * (verified with FreeIPA's CA when the spec names it), all labelled service="freeipa".
   */
  public static List<BlackboxExporterSpec.Probe> probes(Station station) {
    FreeIpa ipa = freeIpa(station);
    if (ipa == null) {
      return List.of();
    }
    String host = ipa.serverHost(station.cluster());
    Map<String, String> labels = Map.of("service", SERVICE_LABEL);
    return List.of(
        new BlackboxExporterSpec.Probe(
            "freeipa-kerberos",
            BlackboxExporterSpec.Module.TCP,
            List.of(host + ":88"),
            null,
            labels),
        new BlackboxExporterSpec.Probe(
            "freeipa-ldap", BlackboxExporterSpec.Module.LDAP, List.of(host + ":389"), null, labels),
        new BlackboxExporterSpec.Probe(
            "freeipa-ldaps",
            BlackboxExporterSpec.Module.LDAPS,
            List.of(host + ":636"),
            ipa.ca(),
            labels),
        new BlackboxExporterSpec.Probe(
            "freeipa-web",
            BlackboxExporterSpec.Module.HTTPS,
            List.of("https://" + host + "/ipa/ui/"),
            ipa.ca(),
            labels));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    FreeIpa ipa = freeIpa(ctx.station());
    if (!ipa.deploy()) {
      out.note(
          "an existing server ("
              + ipa.host()
              + "); only its probes, alerts and Grafana's LDAP login are rendered");
      return;
    }
    String ns = ctx.station().cluster().infraNamespace();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ns, "identity", ctx.image(COMPONENT, "freeipa-server", null));
    List<Port> ports = ports(ipa);
    out.add(kit.serviceAccount(false));
    // Gives the pod its DNS name, freeipa-0.freeipa.<ns>.svc.<domain>: the host name FreeIPA is
    // installed with and its certificates are issued for, resolvable inside the cluster.
    out.add(
        kit.headlessService(
            NAME, ports.stream().map(p -> servicePort(p, false)).toArray(ServicePort[]::new)));
    boolean external = !ipa.trustedNetworks().isEmpty();
    if (external) {
      out.add(externalService(kit, ipa, ctx.production(), ports));
    }
    out.add(statefulSet(kit, ctx, ipa, ports));
    out.add(kit.pdb(1));
    out.add(networkPolicy(kit, ctx, ipa, ports));
    out.note(
        "needs Kubernetes 1.33+ (or the UserNamespacesSupport feature gate) and a runtime with"
            + " user namespaces and writable cgroups for systemd (containerd 2.1+ or CRI-O 1.32+); the first"
            + " start installs FreeIPA, which takes several minutes");
  }

  private static List<Port> ports(FreeIpa ipa) {
    List<Port> ports =
        new ArrayList<>(
            List.of(
                new Port("https", 443, "TCP", ipa.service().webNodePort()),
                new Port("http", 80, "TCP", 0),
                new Port("ldap", 389, "TCP", 0),
                new Port("ldaps", 636, "TCP", 30636),
                new Port("kerberos-tcp", 88, "TCP", 30088),
                new Port("kerberos-udp", 88, "UDP", 30088),
                new Port("kpasswd-tcp", 464, "TCP", 30464),
                new Port("kpasswd-udp", 464, "UDP", 30464)));
    if (ipa.dns()) {
      ports.add(new Port("dns-tcp", 53, "TCP", 0));
      ports.add(new Port("dns-udp", 53, "UDP", 0));
    }
    return ports;
  }

  private static ServicePort servicePort(Port p, boolean withNodePort) {
    ServicePortBuilder b =
        new ServicePortBuilder()
            .withName(p.name())
            .withPort(p.port())
            .withProtocol(p.protocol())
            .withTargetPort(new IntOrString(p.name()));
    if (withNodePort && p.nodePort() > 0) {
      b.withNodePort(p.nodePort());
    }
    return b.build();
  }

  /**
   * The Service hosts outside the cluster use. Local traffic policy keeps each client's address, so
   * the NetworkPolicy's trusted networks see who is really asking.
   */
  private static Service externalService(
      ComponentObjects kit, FreeIpa ipa, boolean production, List<Port> ports) {
    IdentitySpec.ServiceType type =
        ipa.service().type() != null
            ? ipa.service().type()
            : production
                ? IdentitySpec.ServiceType.LOAD_BALANCER
                : IdentitySpec.ServiceType.NODE_PORT;
    boolean nodePort = type == IdentitySpec.ServiceType.NODE_PORT;
    List<ServicePort> exposed = new ArrayList<>();
    for (Port p : ports) {
      // Resolvers and Kerberos clients expect DNS on 53: through NodePorts only the services
      // whose clients can be told another port are offered.
      if (!nodePort || p.nodePort() > 0) {
        exposed.add(servicePort(p, nodePort));
      }
    }
    var meta = kit.meta(NAME + "-external");
    meta.setAnnotations(
        ComponentObjects.exemption(
            "Hosts on the trusted networks use FreeIPA directly (Kerberos,"
                + " LDAP, DNS, the web UI), not through an Ingress; the NetworkPolicy admits only those networks.",
            "service-exposed"));
    var spec =
        new ServiceBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withType(nodePort ? "NodePort" : "LoadBalancer")
            .withExternalTrafficPolicy("Local")
            .withSelector(kit.selectorLabels())
            .withPorts(exposed);
    if (!nodePort && ipa.service().loadBalancerIP() != null) {
      spec.withLoadBalancerIP(ipa.service().loadBalancerIP().text());
    }
    return spec.endSpec().build();
  }

  static String installOptions(FreeIpa ipa) {
    List<String> opts =
        new ArrayList<>(
            List.of(
                "-U",
                "--realm=" + ipa.realm(),
                "--domain=" + ipa.effectiveDomain(),
                // Time comes from the nodes (chrony), not from an NTP client in the pod.
                "--no-ntp"));
    if (ipa.dns()) {
      opts.add("--setup-dns");
      opts.add("--no-reverse");
      if (ipa.dnsForwarders().isEmpty()) {
        opts.add("--no-forwarders");
      } else {
        ipa.dnsForwarders().forEach(f -> opts.add("--forwarder=" + f.text()));
      }
    }
    return String.join(" ", opts);
  }

  private static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(
      ComponentObjects kit, RenderContext ctx, FreeIpa ipa, List<Port> ports) {
    List<EnvVar> env = new ArrayList<>();
    // The first start reads PASSWORD for --admin-password and --ds-password; later starts ignore
    // it.
    env.add(
        new EnvVarBuilder()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(ipa.adminPassword().secret().name())
            .withKey(ipa.adminPassword().secret().key())
            .endSecretKeyRef()
            .endValueFrom()
            .build());
    env.add(
        new EnvVarBuilder()
            .withName("IPA_SERVER_INSTALL_OPTS")
            .withValue(installOptions(ipa))
            .build());
    IpAddress lb = ipa.service().loadBalancerIP();
    if (lb != null) {
      // FreeIPA's DNS then answers with the address hosts outside reach, not the pod's.
      env.add(new EnvVarBuilder().withName("IPA_SERVER_IP").withValue(lb.text()).build());
    }
    List<ContainerPort> containerPorts = new ArrayList<>();
    for (Port p : ports) {
      containerPorts.add(
          new ContainerPortBuilder()
              .withName(p.name())
              .withContainerPort(p.port())
              .withProtocol(p.protocol())
              .build());
    }
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(ipa.resources(), "500m", "2Gi", "2", "4Gi"))
            .withEnv(env)
            .withPorts(containerPorts)
            .withSecurityContext(
                new SecurityContextBuilder()
                    .withReadOnlyRootFilesystem(true)
                    .withPrivileged(false)
                    .withCapabilities(
                        new CapabilitiesBuilder().withDrop("ALL").withAdd(CAPABILITIES).build())
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder().withName("data").withMountPath(DATA).build(),
                // The image declares /run and /tmp as volumes: systemd's runtime state and the
                // template the entrypoint copies into /tmp at every start.
                new VolumeMountBuilder().withName("run").withMountPath("/run").build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                new VolumeMountBuilder().withName("shm").withMountPath("/dev/shm").build())
            // The first start runs ipa-server-install (CA, directory, KDC): up to half an hour on a
            // small node. ipa.service is active once every FreeIPA service runs.
            .withStartupProbe(exec(15, 120, "/usr/bin/systemctl", "is-active", "ipa"))
            .withReadinessProbe(exec(15, 3, "/usr/bin/systemctl", "is-active", "ipa"))
            .withLivenessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("ldap"))
                    .endTcpSocket()
                    .withPeriodSeconds(30)
                    .withTimeoutSeconds(10)
                    .withFailureThreshold(6)
                    .build())
            // systemd is PID 1 and answers SIGTERM by re-executing itself, not by stopping: shut
            // the
            // services down the way systemd does before the runtime's signal arrives.
            .withNewLifecycle()
            .withNewPreStop()
            .withNewExec()
            .withCommand("/usr/bin/systemctl", "poweroff")
            .endExec()
            .endPreStop()
            .endLifecycle()
            .build();
    var meta = kit.meta(NAME);
    meta.setAnnotations(
        ComponentObjects.exemption(
            EXEMPTION_REASON, "pss-capabilities-restricted", "pss-privilege-escalation"));
    var pvcSize = ipa.storage().size() != null ? ipa.storage().size().text() : "10Gi";
    var pod =
        new StatefulSetBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withReplicas(1)
            .withServiceName(NAME)
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withHostUsers(false)
            .withSetHostnameAsFQDN(true)
            .withTerminationGracePeriodSeconds(300L)
            .withNewSecurityContext()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .withFsGroupChangePolicy("OnRootMismatch")
            .endSecurityContext()
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("run")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new Quantity("256Mi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new Quantity("1Gi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("shm")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new Quantity("256Mi"))
                    .endEmptyDir()
                    .build());
    if (ipa.dns()) {
      // FreeIPA answers for its own zones; the pod asks its own DNS server, as freeipa-container
      // documents for a server with DNS. Its own name resolves from /etc/hosts, which the kubelet
      // writes with the pod's FQDN.
      pod.withDnsPolicy("None")
          .withNewDnsConfig()
          .withNameservers("127.0.0.1")
          .withSearches(ipa.effectiveDomain())
          .endDnsConfig();
    }
    if (ipa.node() != null) {
      pod.withNodeSelector(Map.of("kubernetes.io/hostname", ipa.node()));
    }
    return pod.endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(kit.dataClaim(pvcSize, ipa.storage().className()))
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Probe exec(
      int period, int failures, String... command) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand(command)
        .endExec()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(10)
        .withFailureThreshold(failures)
        .build();
  }

  /**
   * Ingress: the trusted networks on every service port, Grafana on LDAPS and LDAP (its login), the
   * blackbox exporter on the ports it probes. Egress: DNS, and FreeIPA's DNS forwarders.
   */
  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy networkPolicy(
      ComponentObjects kit, RenderContext ctx, FreeIpa ipa, List<Port> ports) {
    NetPol np = NetPol.forComponent(kit);
    if (!ipa.trustedNetworks().isEmpty()) {
      List<NetworkPolicyPort> all = new ArrayList<>();
      for (Port p : ports) {
        all.add(p.protocol().equals("UDP") ? NetPol.udp(p.port()) : NetPol.tcp(p.port()));
      }
      np.allowIn(
          all,
          ipa.trustedNetworks().stream()
              .map(FreeIpaRenderer::ipBlock)
              .toArray(NetworkPolicyPeer[]::new));
    }
    if (ctx.isEnabled(GrafanaRenderer.NAME) && ctx.components().grafana().auth().ldap() != null) {
      np.allowIn(
          List.of(NetPol.tcp(636), NetPol.tcp(389)),
          NetPol.app(ctx.namespace(), GrafanaRenderer.NAME));
    }
    if (ctx.isEnabled(BlackboxExporterRenderer.NAME)) {
      np.allowIn(
          List.of(NetPol.tcp(88), NetPol.tcp(389), NetPol.tcp(636), NetPol.tcp(443)),
          NetPol.app(ctx.namespace(), BlackboxExporterRenderer.NAME));
    }
    np.restrictEgress();
    if (!ipa.dnsForwarders().isEmpty()) {
      np.allowOut(
          List.of(NetPol.udp(53), NetPol.tcp(53)),
          ipa.dnsForwarders().stream()
              .map(a -> ipBlock(a.text() + (a.isV4() ? "/32" : "/128")))
              .toArray(NetworkPolicyPeer[]::new));
    }
    return np.build();
  }

  private static NetworkPolicyPeer ipBlock(String cidr) {
    return new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build();
  }
}
