package dev.vigil.render.blackbox;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.k8s.Scheduling;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.BlackboxExporterSpec;
import dev.vigil.spec.model.BlackboxExporterSpec.Module;
import dev.vigil.spec.model.BlackboxExporterSpec.Probe;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Prometheus blackbox exporter: probes the endpoints the station names from inside the cluster,
 * one module per kind of check (and per CA a probe trusts), scraped through one job, "blackbox",
 * whose targets carry the probe's name; its own metrics are job "blackbox-exporter".
 */
@AutoService(ComponentRenderer.class)
public final class BlackboxExporterRenderer implements ComponentRenderer {
  public static final String NAME = "blackbox-exporter";

  /** The job that runs the probes; its series are the probes' results. */
  public static final String PROBE_JOB = "blackbox";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("blackbox-exporter", "quay.io/prometheus/blackbox-exporter:v0.28.0")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME, PROBE_JOB)
          .ruleFiles("blackbox.rules.yaml")
          .dashboards(new ProbesDashboard())
          .build();
  public static final int PORT = 9115;
  static final String CONFIG_DIR = "/etc/blackbox-exporter";
  static final String CA_DIR = "/etc/blackbox-exporter/ca";

  /**
   * Pod annotation carrying the configuration's digest, so a changed configuration rolls the pods.
   */
  static final String CONFIG_DIGEST = "vigil.dev/config-sha256";

  /**
   * An LDAP CompareRequest (message id 1) for objectClass=top on the root DSE, BER-encoded. The
   * blackbox exporter's TCP prober can only send text, and an LDAP bind or search needs bytes above
   * 0x7f (their context-specific tags); a compare request does not. Every LDAP server answers it
   * with a CompareResponse (true, false, or an error such as "authentication required"), which is
   * what proves an LDAP server is there: see {@link #LDAP_RESPONSE}.
   */
  static final String LDAP_COMPARE =
      "\u0030\u001b\u0002\u0001\u0001\u006e\u0016\u0004\u0000\u0030\u0012\u0004\u000bobjectClass\u0004\u0003top";

  /**
   * The start of an LDAP response to message 1 that is a CompareResponse: message id 1 (02 01 01)
   * then the CompareResponse tag 0x6f ('o'). The prober reads the answer line by line; its result
   * code's ENUMERATED tag, 0x0a, ends the first "line" right after these bytes.
   */
  static final String LDAP_RESPONSE = "\\x02\\x01\\x01o";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    Boolean set = station.components().blackboxExporter().enabled();
    return set != null ? set : !probes(station).isEmpty();
  }

  /**
   * Every probe the station asks for: its own list, and those of the identity service it watches.
   */
  public static List<Probe> probes(Station station) {
    List<Probe> probes = new ArrayList<>(station.components().blackboxExporter().probes());
    probes.addAll(dev.vigil.render.identity.FreeIpaRenderer.probes(station));
    return probes;
  }

  /** The module a probe uses: the plain one, or its own when it trusts a CA of its own. */
  static String moduleName(Probe p) {
    String base = p.module().name().toLowerCase(Locale.ROOT);
    return p.ca() == null ? base : base + "-" + p.name();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    List<Map<String, Object>> jobs = new ArrayList<>();
    jobs.add(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
    List<Probe> probes = probes(ctx.station());
    if (probes.isEmpty()) {
      return jobs;
    }
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Probe p : probes) {
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("probe", p.name());
      labels.put("module", moduleName(p));
      labels.put("__param_module", moduleName(p));
      labels.putAll(new TreeMap<>(p.labels()));
      groups.add(ordered("targets", p.targets(), "labels", labels));
    }
    jobs.add(
        ScrapeJobs.throughExporter(
            PROBE_JOB, "/probe", groups, ctx.serviceHost(NAME) + ":" + PORT));
    return jobs;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    BlackboxExporterSpec spec = ctx.components().blackboxExporter();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "probes", ctx.image(COMPONENT, NAME, null));
    List<Probe> probes = probes(ctx.station());
    String config = config(probes);
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap("blackbox-exporter-config", Map.of("blackbox.yml", config)));

    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath(CONFIG_DIR + "/config")
            .withReadOnly(true)
            .build());
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName("blackbox-exporter-config")
            .endConfigMap()
            .build());
    for (String secret : caSecrets(probes)) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("ca-" + secret)
              .withMountPath(CA_DIR + "/" + secret)
              .withReadOnly(true)
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("ca-" + secret)
              .withNewSecret()
              .withSecretName(secret)
              .withDefaultMode(0444)
              .endSecret()
              .build());
    }
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "20m", "32Mi", "200m", "128Mi"))
            .withArgs(
                "--config.file=" + CONFIG_DIR + "/config/blackbox.yml",
                "--web.listen-address=:" + PORT)
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(mounts)
            .withLivenessProbe(ComponentObjects.httpProbe("/-/healthy", "http", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/-/healthy", "http", 0, 10, 3))
            .build();
    int replicas = ctx.station().replicasFor(null);
    out.add(
        new DeploymentBuilder()
            .withMetadata(kit.meta(NAME))
            .withNewSpec()
            .withReplicas(replicas)
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .withAnnotations(Map.of(CONFIG_DIGEST, sha256(config)))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
            .withAffinity(replicas > 1 ? Scheduling.spreadByHost(kit) : null)
            .withContainers(container)
            .withVolumes(volumes)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(kit.service(NAME, 0, ComponentObjects.port("http", PORT, "http")));
    out.add(kit.pdb(replicas));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .restrictEgress();
    List<NetworkPolicyPort> ports = new ArrayList<>();
    for (int port : targetPorts(probes)) {
      ports.add(NetPol.tcp(port));
    }
    if (!ports.isEmpty()) {
      // Targets are host names or addresses anywhere (in the cluster, on the LAN, outside): only
      // the ports the probes use are open.
      np.allowOut(ports);
    }
    out.add(np.build());
  }

  /** The Secrets holding the CAs probes trust, by name. */
  static TreeSet<String> caSecrets(List<Probe> probes) {
    TreeSet<String> secrets = new TreeSet<>();
    probes.stream().filter(p -> p.ca() != null).forEach(p -> secrets.add(p.ca().secret().name()));
    return secrets;
  }

  /** The TCP ports of every probe target. */
  static TreeSet<Integer> targetPorts(List<Probe> probes) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (Probe p : probes) {
      for (String t : p.targets()) {
        ports.add(port(p.module(), t));
      }
    }
    return ports;
  }

  static int port(Module module, String target) {
    if (module == Module.HTTP || module == Module.HTTPS) {
      URI u = URI.create(target);
      return u.getPort() > 0 ? u.getPort() : module == Module.HTTP ? 80 : 443;
    }
    return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
  }

  /**
   * blackbox.yml: one module per kind of check with the system's trusted roots, and one per probe
   * that trusts a CA of its own (the CA file is the probe's Secret key, mounted read-only).
   */
  static String config(List<Probe> probes) {
    Map<String, Object> modules = new LinkedHashMap<>();
    for (Module m : Module.values()) {
      modules.put(m.name().toLowerCase(Locale.ROOT), module(m, null));
    }
    for (Probe p : probes) {
      if (p.ca() != null) {
        modules.put(moduleName(p), module(p.module(), p.ca()));
      }
    }
    return "# Rendered by vigil from the station spec.\n" + Yaml.write(ordered("modules", modules));
  }

  private static Map<String, Object> module(Module m, SecretRef ca) {
    Map<String, Object> tls = new LinkedHashMap<>();
    if (ca != null) {
      tls.put("ca_file", CA_DIR + "/" + ca.secret().name() + "/" + ca.secret().key());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    switch (m) {
      case TCP -> out.putAll(ordered("prober", "tcp", "timeout", "5s"));
      case TLS ->
          out.putAll(
              ordered("prober", "tcp", "timeout", "5s", "tcp", withTls(ordered("tls", true), tls)));
      case HTTP ->
          out.putAll(ordered("prober", "http", "timeout", "5s", "http", ordered("method", "GET")));
      case HTTPS ->
          out.putAll(
              ordered(
                  "prober",
                  "http",
                  "timeout",
                  "5s",
                  "http",
                  withTls(ordered("method", "GET", "fail_if_not_ssl", true), tls)));
      case LDAP ->
          out.putAll(
              ordered(
                  "prober",
                  "tcp",
                  "timeout",
                  "5s",
                  "tcp",
                  ordered("query_response", ldapExchange())));
      case LDAPS ->
          out.putAll(
              ordered(
                  "prober",
                  "tcp",
                  "timeout",
                  "5s",
                  "tcp",
                  withTls(ordered("tls", true, "query_response", ldapExchange()), tls)));
    }
    return out;
  }

  private static Map<String, Object> withTls(Map<String, Object> section, Map<String, Object> tls) {
    if (!tls.isEmpty()) {
      section.put("tls_config", tls);
    }
    return section;
  }

  private static List<Map<String, Object>> ldapExchange() {
    return List.of(ordered("send", LDAP_COMPARE), ordered("expect", LDAP_RESPONSE));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
