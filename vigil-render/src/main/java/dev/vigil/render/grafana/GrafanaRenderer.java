package dev.vigil.render.grafana;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.ExternalAccess;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.GrafanaSpec;
import dev.vigil.spec.model.GrafanaSpec.AnonymousRole;
import dev.vigil.spec.model.GrafanaSpec.GrafanaAuth;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Quantity;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grafana: provisioned datasources with fixed uids, dashboards from ConfigMaps, login per profile,
 * and an admin password that is never a default.
 */
@AutoService(ComponentRenderer.class)
public final class GrafanaRenderer implements ComponentRenderer {
  public static final String NAME = "grafana";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("grafana", "docker.io/grafana/grafana:12.1.1")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME)
          .stateful()
          .reads(Component.Extension.DASHBOARDS, Component.Extension.DATASOURCES)
          .build();
  public static final int PORT = 3000;
  public static final int NODE_PORT = 30300;
  static final String DATA = "/var/lib/grafana";
  static final String DASHBOARDS = "/var/lib/grafana-dashboards";
  static final String SECRETS = "/etc/grafana/secrets";

  /** Where the generated admin password lives when the spec names none. */
  public static final String GENERATED_PASSWORD = DATA + "/.vigil/admin-password";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    // With the cluster's Prometheus Operator running it, Vigil renders what it consumes instead.
    return station.components().grafana().enabled()
        && station.stack() == dev.vigil.spec.model.Stack.VIGIL;
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
  }

  /**
   * The anonymous role in effect: explicit setting, else viewer in homelab and none in production.
   */
  public static AnonymousRole anonymousRole(RenderContext ctx) {
    AnonymousRole set = ctx.components().grafana().auth().anonymous();
    if (set != null) {
      return set;
    }
    return ctx.production() ? AnonymousRole.NONE : AnonymousRole.VIEWER;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    GrafanaSpec spec = ctx.components().grafana();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "dashboards", ctx.image(COMPONENT, NAME, spec.image()));
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap("grafana-config", Map.of("grafana.ini", ini(ctx, spec))));
    out.add(kit.configMap("grafana-datasources", Map.of("datasources.yaml", datasourcesFile(ctx))));
    out.add(kit.configMap("grafana-dashboard-provider", Map.of("vigil.yaml", provider())));
    List<String> dashboardMaps = new ArrayList<>();
    // Every enabled component's dashboards, one uid each (Contributions refuses a second one).
    for (Dashboard d : ctx.contributions().allDashboards()) {
      String cm = "grafana-dashboard-" + d.uid();
      dashboardMaps.add(cm);
      out.add(kit.configMap(cm, Map.of(d.fileName(), d.toJson())));
    }
    GrafanaSpec.Ldap ldap = ldap(ctx);
    if (ldap != null) {
      LdapToml toml = ldapToml(ldap);
      out.add(
          kit.configMap("grafana-ldap", Map.of(LDAP_HEAD, toml.head(), LDAP_TAIL, toml.tail())));
    }
    out.add(statefulSet(kit, spec, ldap, dashboardMaps));
    int nodePort = ExternalAccess.nodePort(ctx, spec.access(), NODE_PORT);
    out.add(kit.service(NAME, nodePort, ComponentObjects.port("http", 80, "http")));
    ExternalAccess.ingress(kit, spec.access(), NAME, 80, ExternalAccess.Login.OWN)
        .ifPresent(out::add);
    out.add(kit.pdb(1));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME));
    // People reach Grafana from browsers through the NodePort or the ingress controller.
    ExternalAccess.allowFromOutside(np, ctx, spec.access(), NAME, NODE_PORT, PORT);
    out.add(np.build());
  }

  /** The LDAP login in effect: the spec's, with what the station's FreeIPA implies filled in. */
  static GrafanaSpec.Ldap ldap(RenderContext ctx) {
    GrafanaSpec.Ldap ldap = ctx.components().grafana().auth().ldap();
    if (ldap == null) {
      return null;
    }
    var identity = ctx.station().identity();
    return ldap.withDefaults(identity == null ? null : identity.freeipa(), ctx.station().cluster());
  }

  private io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(
      ComponentObjects kit, GrafanaSpec spec, GrafanaSpec.Ldap ldap, List<String> dashboardMaps) {
    GrafanaAuth auth = spec.auth();
    List<VolumeMount> mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder().withName("data").withMountPath(DATA).build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/grafana/grafana.ini")
                    .withSubPath("grafana.ini")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("datasources")
                    .withMountPath("/etc/grafana/provisioning/datasources")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("dashboard-provider")
                    .withMountPath("/etc/grafana/provisioning/dashboards")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("dashboards")
                    .withMountPath(DASHBOARDS)
                    .withReadOnly(true)
                    .build()));
    List<Volume> volumes =
        new ArrayList<>(
            List.of(
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("grafana-config")
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("datasources")
                    .withNewConfigMap()
                    .withName("grafana-datasources")
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("dashboard-provider")
                    .withNewConfigMap()
                    .withName("grafana-dashboard-provider")
                    .endConfigMap()
                    .build()));
    var projected = new VolumeBuilder().withName("dashboards").withNewProjected();
    for (String cm : dashboardMaps) {
      projected.addToSources(
          new VolumeProjectionBuilder().withNewConfigMap().withName(cm).endConfigMap().build());
    }
    volumes.add(projected.endProjected().build());

    List<EnvVar> env = new ArrayList<>();
    List<Container> init = new ArrayList<>();
    if (auth.adminPassword() != null) {
      env.add(
          new EnvVarBuilder()
              .withName("GF_SECURITY_ADMIN_PASSWORD__FILE")
              .withValue(mountSecret(auth.adminPassword(), mounts, volumes))
              .build());
    } else {
      // No password in the spec: make a random one on first start and keep it on the volume, so
      // there is never a default password and nothing secret is rendered. Read it with
      // kubectl exec grafana-0 -- cat /var/lib/grafana/.vigil/admin-password
      env.add(
          new EnvVarBuilder()
              .withName("GF_SECURITY_ADMIN_PASSWORD__FILE")
              .withValue(GENERATED_PASSWORD)
              .build());
      init.add(
          kit.container(
                  "admin-password",
                  kit.image(),
                  ComponentObjects.resources(null, "10m", "16Mi", "100m", "32Mi"))
              .withCommand(
                  "/bin/sh",
                  "-c",
                  "set -eu; f="
                      + GENERATED_PASSWORD
                      + "; mkdir -p \"$(dirname \"$f\")\"; umask 077; "
                      + "if [ ! -s \"$f\" ]; then head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > \"$f\"; fi")
              .withVolumeMounts(
                  new VolumeMountBuilder().withName("data").withMountPath(DATA).build())
              .build());
    }
    if (auth.oidc() != null) {
      env.add(
          new EnvVarBuilder()
              .withName("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE")
              .withValue(mountSecret(auth.oidc().clientSecret(), mounts, volumes))
              .build());
    }
    if (ldap != null) {
      ldap(kit, ldap, mounts, volumes, init);
    }

    Container grafana =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "100m", "256Mi", "500m", "1Gi"))
            .withEnv(env)
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(mounts)
            .withStartupProbe(ComponentObjects.httpProbe("/api/health", "http", 0, 5, 60))
            .withLivenessProbe(ComponentObjects.httpProbe("/api/health", "http", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/api/health", "http", 0, 5, 3))
            .build();

    Quantity size = spec.storage().size() != null ? spec.storage().size() : Quantity.parse("5Gi");
    var pvc = kit.dataClaim(size.text(), spec.storage().className());

    return new StatefulSetBuilder()
        .withMetadata(kit.meta(NAME))
        .withNewSpec()
        // Grafana keeps users, sessions and annotations in SQLite on its volume: one replica.
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
        .withSecurityContext(ComponentObjects.podSecurity(472, 472))
        .withInitContainers(init)
        .withContainers(grafana)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(pvc)
        .endSpec()
        .build();
  }

  private static String secretName(SecretRef ref) {
    if (ref.secret() == null) {
      throw new IllegalArgumentException(
          "Grafana reads secrets from Kubernetes Secrets, got " + ref.describe());
    }
    return ref.secret().name();
  }

  /** Mounts the Secret holding the reference (once) and returns the file path of its key. */
  private static String mountSecret(SecretRef ref, List<VolumeMount> mounts, List<Volume> volumes) {
    String secret = secretName(ref);
    String vol = "secret-" + secret;
    if (volumes.stream().noneMatch(v -> v.getName().equals(vol))) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(vol)
              .withMountPath(SECRETS + "/" + secret)
              .withReadOnly(true)
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName(vol)
              .withNewSecret()
              .withSecretName(secret)
              .withDefaultMode(0440)
              .endSecret()
              .build());
    }
    return SECRETS + "/" + secret + "/" + ref.secret().key();
  }

  /** grafana.ini, section by section. */
  static String ini(RenderContext ctx, GrafanaSpec spec) {
    Map<String, Map<String, String>> ini = new LinkedHashMap<>();
    Map<String, String> server = section(ini, "server");
    server.put("http_port", String.valueOf(PORT));
    ExternalAccess.externalUrl(ctx, spec.access(), NAME).ifPresent(u -> server.put("root_url", u));
    section(ini, "paths").put("data", DATA);
    section(ini, "paths").put("provisioning", "/etc/grafana/provisioning");
    Map<String, String> security = section(ini, "security");
    security.put("admin_user", "admin");
    security.put("disable_gravatar", "true");
    security.put("cookie_secure", String.valueOf(ctx.production()));
    security.put("allow_embedding", "false");
    Map<String, String> users = section(ini, "users");
    users.put("allow_sign_up", "false");
    users.put("allow_org_create", "false");
    AnonymousRole anon = anonymousRole(ctx);
    Map<String, String> anonymous = section(ini, "auth.anonymous");
    anonymous.put("enabled", String.valueOf(anon != AnonymousRole.NONE));
    if (anon != AnonymousRole.NONE) {
      anonymous.put("org_role", capitalize(anon.name()));
    }
    GrafanaAuth auth = spec.auth();
    if (auth.oidc() != null) {
      Map<String, String> o = section(ini, "auth.generic_oauth");
      o.put("enabled", "true");
      o.put("name", auth.oidc().name());
      o.put("client_id", auth.oidc().clientId());
      o.put("auth_url", auth.oidc().authUrl());
      o.put("token_url", auth.oidc().tokenUrl());
      o.put("api_url", auth.oidc().apiUrl());
      o.put(
          "scopes",
          String.join(
              " ",
              auth.oidc().scopes().isEmpty()
                  ? List.of("openid", "email", "profile")
                  : auth.oidc().scopes()));
      o.put("use_pkce", "true");
      if (auth.oidc().roleAttributePath() != null) {
        o.put("role_attribute_path", auth.oidc().roleAttributePath());
        o.put("role_attribute_strict", "true");
      }
    }
    if (auth.ldap() != null) {
      Map<String, String> l = section(ini, "auth.ldap");
      l.put("enabled", "true");
      l.put("config_file", "/etc/grafana/ldap/ldap.toml");
      l.put("allow_sign_up", "true");
    }
    Map<String, String> analytics = section(ini, "analytics");
    analytics.put("reporting_enabled", "false");
    analytics.put("check_for_updates", "false");
    // Grafana runs the plugins its image pins: no background install of grafana.com's app list at
    // every start, no update checks (the contract records both defaults).
    analytics.put("check_for_plugin_updates", "false");
    section(ini, "plugins").put("preinstall_disabled", "true");
    section(ini, "log").put("mode", "console");
    StringBuilder sb =
        new StringBuilder(
            "; Rendered by vigil from the station spec. Secrets come from files, never from here.\n");
    ini.forEach(
        (name, values) -> {
          sb.append('\n').append('[').append(name).append("]\n");
          values.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        });
    return sb.toString();
  }

  private static Map<String, String> section(Map<String, Map<String, String>> ini, String name) {
    return ini.computeIfAbsent(name, n -> new LinkedHashMap<>());
  }

  private static String capitalize(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  /** Where the init container writes the complete ldap.toml, and where Grafana reads it. */
  static final String LDAP_DIR = "/etc/grafana/ldap";

  static final String LDAP_TEMPLATE_DIR = "/etc/grafana/ldap-template";
  static final String LDAP_BIND_DIR = "/etc/grafana/ldap-bind";
  static final String LDAP_CA_DIR = "/etc/grafana/ldap-ca";
  static final String LDAP_HEAD = "head.toml";
  static final String LDAP_TAIL = "tail.toml";

  /**
   * Writes the complete ldap.toml before Grafana starts: the rendered head and tail with the bind
   * password between them, escaped for a TOML basic string. Grafana expands ${VAR}, $__env{} and
   * $__file{} in the whole file text before parsing it, so a password substituted there verbatim
   * would break the file on a quote or backslash, or be expanded itself; escaped here, every $ is
   * \u0024 and nothing in the file is expanded. A password that is empty (Grafana would then bind
   * anonymously) or holds a control character (a line break from `echo` into the Secret) stops the
   * pod with a message instead. The value is read with $(cat), which drops trailing newlines the
   * way the image's entrypoint treats its __FILE variables. Arguments: the template directory, the
   * password file, the output directory.
   */
  static final String LDAP_INIT_SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "p=$(cat \"$2\")",
          "if [ -z \"$p\" ]; then echo \"ldap: the bind password in $2 is empty; Grafana would bind anonymously\" >&2; exit 1; fi",
          "case \"$p\" in *[[:cntrl:]]*) echo \"ldap: the bind password in $2 contains a control character (a line break?); ldap.toml cannot hold it\" >&2; exit 1;; esac",
          "e=$(printf '%s' \"$p\" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/\"/\\\\\"/g' -e 's/[$]/\\\\u0024/g')",
          "umask 077",
          "{ cat \"$1/"
              + LDAP_HEAD
              + "\"; printf 'bind_password = \"%s\"\\n' \"$e\"; cat \"$1/"
              + LDAP_TAIL
              + "\"; } > \"$3/ldap.toml.new\"",
          "mv \"$3/ldap.toml.new\" \"$3/ldap.toml\"",
          "");

  /**
   * The LDAP login: the init container composing ldap.toml, and the mounts Grafana reads it from.
   */
  private static void ldap(
      ComponentObjects kit,
      GrafanaSpec.Ldap ldap,
      List<VolumeMount> mounts,
      List<Volume> volumes,
      List<Container> init) {
    SecretRef bind = ldap.bindPassword();
    volumes.add(
        new VolumeBuilder()
            .withName("ldap-template")
            .withNewConfigMap()
            .withName("grafana-ldap")
            .endConfigMap()
            .build());
    volumes.add(
        new VolumeBuilder()
            .withName("ldap-bind")
            .withNewSecret()
            .withSecretName(secretName(bind))
            .addNewItem()
            .withKey(bind.secret().key())
            .withPath("password")
            .endItem()
            .withDefaultMode(0440)
            .endSecret()
            .build());
    // Memory: the composed file holds the bind password, which must not land on a node's disk.
    volumes.add(
        new VolumeBuilder()
            .withName("ldap")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi"))
            .endEmptyDir()
            .build());
    init.add(
        kit.container(
                "ldap-config",
                kit.image(),
                ComponentObjects.resources(null, "10m", "16Mi", "100m", "32Mi"))
            .withCommand(
                "/bin/sh",
                "-c",
                LDAP_INIT_SCRIPT,
                "ldap-config",
                LDAP_TEMPLATE_DIR,
                LDAP_BIND_DIR + "/password",
                LDAP_DIR)
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("ldap-template")
                    .withMountPath(LDAP_TEMPLATE_DIR)
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("ldap-bind")
                    .withMountPath(LDAP_BIND_DIR)
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("ldap").withMountPath(LDAP_DIR).build())
            .build());
    mounts.add(
        new VolumeMountBuilder()
            .withName("ldap")
            .withMountPath(LDAP_DIR)
            .withReadOnly(true)
            .build());
    if (ldap.caCert() != null) {
      String secret = secretName(ldap.caCert());
      volumes.add(
          new VolumeBuilder()
              .withName("ldap-ca")
              .withNewSecret()
              .withSecretName(secret)
              .addNewItem()
              .withKey(ldap.caCert().secret().key())
              .withPath("ca.crt")
              .endItem()
              .withDefaultMode(0444)
              .endSecret()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("ldap-ca")
              .withMountPath(LDAP_CA_DIR)
              .withReadOnly(true)
              .build());
    }
  }

  /** ldap.toml in two parts; the init container puts the bind password between them. */
  record LdapToml(String head, String tail) {
    /** The whole file with a password already escaped for TOML (tests). */
    String with(String escapedPassword) {
      return head + "bind_password = \"" + escapedPassword + "\"\n" + tail;
    }
  }

  /**
   * Grafana's ldap.toml for one server. Every string goes through {@link #toml}, which also escapes
   * $ so Grafana's variable expansion finds nothing to expand.
   */
  static LdapToml ldapToml(GrafanaSpec.Ldap ldap) {
    StringBuilder head =
        new StringBuilder()
            .append(
                "# Rendered by vigil. The bind password is added from its Secret when the pod starts.\n")
            .append("[[servers]]\n")
            .append("host = ")
            .append(toml(ldap.host()))
            .append('\n')
            .append("port = ")
            .append(ldap.port())
            .append('\n')
            .append("use_ssl = ")
            .append(ldap.useSsl())
            .append('\n')
            .append("start_tls = ")
            .append(ldap.startTls())
            .append('\n')
            .append("ssl_skip_verify = false\n");
    if (ldap.caCert() != null) {
      head.append("root_ca_cert = ").append(toml(LDAP_CA_DIR + "/ca.crt")).append('\n');
    }
    head.append("bind_dn = ").append(toml(ldap.bindDn())).append('\n');
    StringBuilder tail =
        new StringBuilder()
            .append("search_filter = ")
            .append(toml(ldap.searchFilter()))
            .append('\n')
            .append("search_base_dns = [")
            .append(
                String.join(
                    ", ",
                    ldap.effectiveSearchBaseDns().stream().map(GrafanaRenderer::toml).toList()))
            .append("]\n\n")
            .append("[servers.attributes]\n")
            .append("username = ")
            .append(toml(ldap.attributes().username()))
            .append('\n')
            .append("name = ")
            .append(toml(ldap.attributes().name()))
            .append('\n')
            .append("surname = ")
            .append(toml(ldap.attributes().surname()))
            .append('\n')
            .append("email = ")
            .append(toml(ldap.attributes().email()))
            .append('\n')
            .append("member_of = ")
            .append(toml(ldap.attributes().memberOf()))
            .append('\n');
    for (GrafanaSpec.GroupMapping m : ldap.groupMappings()) {
      tail.append("\n[[servers.group_mappings]]\n")
          .append("group_dn = ")
          .append(toml(ldap.groupDn(m)))
          .append('\n')
          .append("org_role = ")
          .append(toml(capitalize(m.role().name())))
          .append('\n')
          .append("grafana_admin = ")
          .append(m.grafanaAdmin())
          .append('\n');
    }
    return new LdapToml(head.toString(), tail.toString());
  }

  /**
   * A TOML basic string; $ is written \u0024 so Grafana's expansion of the file text leaves it
   * alone.
   */
  static String toml(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '$' -> sb.append("\\u0024");
        default -> {
          if (ch < 0x20 || ch == 0x7f) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * Datasources every enabled component offers, with the fixed uids dashboards refer to; the
   * default one first, then by name.
   */
  public static String datasourcesFile(RenderContext ctx) {
    List<ProvisionedDatasource> offered = new ArrayList<>();
    ctx.contributions().datasources().values().forEach(offered::addAll);
    offered.sort(
        java.util.Comparator.comparing((ProvisionedDatasource p) -> !p.isDefault())
            .thenComparing(ProvisionedDatasource::displayName));
    List<Map<String, Object>> ds = new ArrayList<>();
    offered.forEach(p -> ds.add(p.provisioning()));
    return Yaml.write(ordered("apiVersion", 1, "datasources", ds));
  }

  static String provider() {
    return Yaml.write(
        ordered(
            "apiVersion",
            1,
            "providers",
            List.of(
                ordered(
                    "name",
                    "vigil",
                    "folder",
                    "Vigil",
                    "type",
                    "file",
                    "disableDeletion",
                    true,
                    "allowUiUpdates",
                    false,
                    "updateIntervalSeconds",
                    60,
                    "options",
                    ordered("path", DASHBOARDS)))));
  }

  /** Uids of the datasources this station provisions. */
  public static List<String> provisionedUids(RenderContext ctx) {
    List<String> uids = new ArrayList<>();
    ctx.contributions()
        .datasources()
        .values()
        .forEach(l -> l.forEach(p -> uids.add(p.ref().uid())));
    return uids;
  }
}
