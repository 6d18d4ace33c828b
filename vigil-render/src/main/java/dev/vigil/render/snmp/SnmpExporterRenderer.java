package dev.vigil.render.snmp;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.integrations.Exporters;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.k8s.Scheduling;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.SnmpExporterSpec;
import dev.vigil.spec.model.SnmpExporterSpec.Auth;
import dev.vigil.spec.model.SnmpExporterSpec.Device;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Prometheus SNMP exporter: polls the network devices the station lists, each with the modules
 * of the image's own snmp.yml it asks for and the credentials it names, through one job, "snmp",
 * whose targets carry the device's name; the exporter's own metrics are job "snmp-exporter".
 *
 * <p>The credentials reach the exporter without passing through a ConfigMap: an init container of
 * the same image writes them from the Secrets into a memory-backed volume, as a second
 * configuration file the exporter merges with its snmp.yml. The exporter's own environment
 * expansion cannot do it: at the pinned version it expands the v3 user and passwords but not a
 * community string.
 */
@AutoService(ComponentRenderer.class)
public final class SnmpExporterRenderer implements ComponentRenderer {
  public static final String NAME = "snmp-exporter";

  /** The job that polls the devices; its series are theirs. */
  public static final String DEVICE_JOB = "snmp";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("snmp-exporter", "quay.io/prometheus/snmp-exporter:v0.30.1")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME, DEVICE_JOB)
          .ruleFiles("snmp.rules.yaml")
          .dashboards(new NetworkDevicesDashboard())
          .build();

  public static final int PORT = 9116;

  /** The snmp.yml the image ships, with its modules: passed again, as args replace the CMD. */
  static final String IMAGE_CONFIG = "/etc/snmp_exporter/snmp.yml";

  /** The memory-backed directory the init container writes the credentials to. */
  static final String AUTH_DIR = "/run/snmp-exporter";

  static final String AUTH_FILE = AUTH_DIR + "/auths.yml";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    SnmpExporterSpec spec = station.components().snmpExporter();
    return spec.enabled() != null ? spec.enabled() : !spec.devices().isEmpty();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    List<Map<String, Object>> jobs = new ArrayList<>();
    jobs.add(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
    List<Device> devices = ctx.components().snmpExporter().devices();
    if (devices.isEmpty()) {
      return jobs;
    }
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Device d : devices) {
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("device", d.name());
      labels.put("__param_auth", d.auth());
      labels.put("__param_module", String.join(",", d.modules()));
      labels.putAll(new TreeMap<>(d.labels()));
      groups.add(ordered("targets", List.of(d.address()), "labels", labels));
    }
    jobs.add(
        ScrapeJobs.throughExporter(
            DEVICE_JOB, "/snmp", groups, ctx.serviceHost(NAME) + ":" + PORT));
    return jobs;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    SnmpExporterSpec spec = ctx.components().snmpExporter();
    ComponentObjects kit =
        new ComponentObjects(ctx, NAME, ctx.namespace(), "snmp", ctx.image(COMPONENT, NAME, null));
    out.add(kit.serviceAccount(false));

    var authMount =
        new VolumeMountBuilder().withName("auths").withMountPath(AUTH_DIR).withReadOnly(false);
    Container writeAuths =
        kit.container(
                "write-auths",
                kit.image(),
                ComponentObjects.resources(null, "10m", "8Mi", "100m", "32Mi"))
            .withCommand("/bin/sh", "-c", authScript(spec.auths()))
            .withEnv(authEnv(spec.auths()))
            .withVolumeMounts(authMount.build())
            .build();
    Container exporter =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "20m", "32Mi", "500m", "128Mi"))
            .withArgs(
                "--config.file=" + IMAGE_CONFIG,
                "--config.file=" + AUTH_FILE,
                "--web.listen-address=:" + PORT)
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(authMount.withReadOnly(true).build())
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
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
            .withAffinity(replicas > 1 ? Scheduling.spreadByHost(kit) : null)
            .withInitContainers(writeAuths)
            .withContainers(exporter)
            .withVolumes(
                new VolumeBuilder()
                    .withName("auths")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new Quantity("1Mi"))
                    .endEmptyDir()
                    .build())
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
    TreeSet<Integer> ports = new TreeSet<>();
    spec.devices().forEach(d -> ports.add(d.port()));
    if (!ports.isEmpty()) {
      // Devices sit anywhere (on the LAN, in a management network): only their SNMP ports open.
      np.allowOut(ports.stream().map(NetPol::udp).toList());
    }
    out.add(np.build());
  }

  /** The environment variable holding one secret value of an auth. */
  static String envName(Auth auth, String field) {
    return "SNMP_AUTH_"
        + auth.name().toUpperCase(Locale.ROOT).replace('-', '_')
        + "_"
        + field.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static List<EnvVar> authEnv(List<Auth> auths) {
    List<EnvVar> env = new ArrayList<>();
    for (Auth a : auths) {
      if (a.usesCommunity()) {
        env.add(Exporters.secretEnv(envName(a, "community"), a.community()));
      }
      if (a.authenticates()) {
        env.add(Exporters.secretEnv(envName(a, "authPassword"), a.authPassword()));
      }
      if (a.encrypts()) {
        env.add(Exporters.secretEnv(envName(a, "privPassword"), a.privPassword()));
      }
    }
    return env;
  }

  /**
   * The init container's script: writes the exporter's {@code auths:} file, each secret value from
   * its environment variable as a single-quoted YAML scalar (quotes doubled), refusing an empty one
   * or one with a line break, then moves it into place. Everything else is known when rendering and
   * is written literally.
   */
  static String authScript(List<Auth> auths) {
    StringBuilder s = new StringBuilder();
    s.append("set -eu\n");
    // $(...) drops the trailing newline a Secret created from a file usually carries.
    s.append("secret() {\n")
        .append("  s=$(printf '%s' \"$2\")\n")
        .append(
            "  [ -n \"$s\" ] || { echo \"snmp-exporter: the Secret value for $1 is empty\" >&2;")
        .append(" exit 1; }\n")
        .append("  case \"$s\" in *\"\n")
        .append(
            "\"*) echo \"snmp-exporter: the Secret value for $1 has a line break\" >&2; exit 1;;")
        .append(" esac\n")
        .append("  printf '%s' \"$s\" | sed \"s/'/''/g\"\n")
        .append("}\n");
    s.append("{\n");
    literal(s, "auths:");
    for (Auth a : auths) {
      literal(s, "  " + a.name() + ":");
      switch (a.version()) {
        case V1 -> literal(s, "    version: 1");
        case V2C -> literal(s, "    version: 2");
        case V3 -> literal(s, "    version: 3");
      }
      if (a.usesCommunity()) {
        secretLine(s, "community", a, "community");
        continue;
      }
      literal(s, "    username: " + yamlQuoted(a.username()));
      literal(s, "    security_level: " + a.securityLevel());
      if (a.authenticates()) {
        literal(s, "    auth_protocol: " + a.authProtocol());
        secretLine(s, "password", a, "authPassword");
      }
      if (a.encrypts()) {
        literal(s, "    priv_protocol: " + a.privProtocol());
        secretLine(s, "priv_password", a, "privPassword");
      }
      if (a.contextName() != null) {
        literal(s, "    context_name: " + yamlQuoted(a.contextName()));
      }
    }
    s.append("} > ").append(AUTH_FILE).append(".new\n");
    s.append("mv ").append(AUTH_FILE).append(".new ").append(AUTH_FILE).append('\n');
    return s.toString();
  }

  private static void literal(StringBuilder s, String line) {
    s.append("printf '%s\\n' ").append(shellQuoted(line)).append('\n');
  }

  private static void secretLine(StringBuilder s, String key, Auth a, String field) {
    // An assignment, so that set -e stops the script when secret refuses the value.
    s.append("v=$(secret ")
        .append(a.name())
        .append('.')
        .append(field)
        .append(" \"$")
        .append(envName(a, field))
        .append("\")\n");
    s.append("printf \"    ").append(key).append(": '%s'\\n\" \"$v\"\n");
  }

  /** A YAML single-quoted scalar. */
  static String yamlQuoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A POSIX shell single-quoted word. */
  static String shellQuoted(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
