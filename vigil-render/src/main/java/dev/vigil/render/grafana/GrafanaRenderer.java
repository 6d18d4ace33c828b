package dev.vigil.render.grafana;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.Tag;
import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.Exposure;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.k8s.Kit;
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
import java.util.StringJoiner;

/**
 * Grafana: provisioned datasources with fixed uids, dashboards from ConfigMaps, login per
 * profile, and an admin password that is never a default.
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
    return station.components().grafana().enabled() && station.stack() == dev.vigil.spec.model.Stack.VIGIL;
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
  }

  /** The anonymous role in effect: explicit setting, else viewer in homelab and none in production. */
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
    Kit kit = new Kit(ctx, NAME, ctx.namespace(), "dashboards", ctx.image(COMPONENT, NAME, spec.image()));
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
    if (spec.auth().ldap() != null) {
      out.add(kit.configMap("grafana-ldap", Map.of("ldap.toml", ldapToml(spec.auth().ldap()))));
    }
    out.add(statefulSet(kit, spec, dashboardMaps));
    int nodePort = Exposure.nodePort(ctx, spec.access(), NODE_PORT);
    out.add(kit.service(NAME, nodePort, Kit.port("http", 80, "http")));
    Exposure.ingress(kit, spec.access(), NAME, 80, Exposure.Login.OWN).ifPresent(out::add);
    out.add(kit.pdb(1));
    NetPol np = NetPol.forComponent(kit)
        .allowIn(List.of(NetPol.tcp(PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME));
    // People reach Grafana from browsers through the NodePort or the ingress controller.
    Exposure.allowFromOutside(np, ctx, spec.access(), NAME, NODE_PORT, PORT);
    out.add(np.build());
  }

  private io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(Kit kit, GrafanaSpec spec, List<String> dashboardMaps) {
    GrafanaAuth auth = spec.auth();
    List<VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder().withName("data").withMountPath(DATA).build(),
        new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
        new VolumeMountBuilder().withName("config").withMountPath("/etc/grafana/grafana.ini").withSubPath("grafana.ini").withReadOnly(true).build(),
        new VolumeMountBuilder().withName("datasources").withMountPath("/etc/grafana/provisioning/datasources").withReadOnly(true).build(),
        new VolumeMountBuilder().withName("dashboard-provider").withMountPath("/etc/grafana/provisioning/dashboards").withReadOnly(true).build(),
        new VolumeMountBuilder().withName("dashboards").withMountPath(DASHBOARDS).withReadOnly(true).build()));
    List<Volume> volumes = new ArrayList<>(List.of(
        new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endEmptyDir().build(),
        new VolumeBuilder().withName("config").withNewConfigMap().withName("grafana-config").endConfigMap().build(),
        new VolumeBuilder().withName("datasources").withNewConfigMap().withName("grafana-datasources").endConfigMap().build(),
        new VolumeBuilder().withName("dashboard-provider").withNewConfigMap().withName("grafana-dashboard-provider").endConfigMap().build()));
    var projected = new VolumeBuilder().withName("dashboards").withNewProjected();
    for (String cm : dashboardMaps) {
      projected.addToSources(new VolumeProjectionBuilder().withNewConfigMap().withName(cm).endConfigMap().build());
    }
    volumes.add(projected.endProjected().build());

    List<EnvVar> env = new ArrayList<>();
    List<Container> init = new ArrayList<>();
    if (auth.adminPassword() != null) {
      env.add(new EnvVarBuilder().withName("GF_SECURITY_ADMIN_PASSWORD__FILE").withValue(mountSecret(auth.adminPassword(), mounts, volumes)).build());
    } else {
      // No password in the spec: make a random one on first start and keep it on the volume, so
      // there is never a default password and nothing secret is rendered. Read it with
      // kubectl exec grafana-0 -- cat /var/lib/grafana/.vigil/admin-password
      env.add(new EnvVarBuilder().withName("GF_SECURITY_ADMIN_PASSWORD__FILE").withValue(GENERATED_PASSWORD).build());
      init.add(kit.container("admin-password", kit.image(), Kit.resources(null, "10m", "16Mi", "100m", "32Mi"))
          .withCommand("/bin/sh", "-c",
              "set -eu; f=" + GENERATED_PASSWORD + "; mkdir -p \"$(dirname \"$f\")\"; umask 077; "
                  + "if [ ! -s \"$f\" ]; then head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > \"$f\"; fi")
          .withVolumeMounts(new VolumeMountBuilder().withName("data").withMountPath(DATA).build())
          .build());
    }
    if (auth.oidc() != null) {
      env.add(new EnvVarBuilder().withName("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE")
          .withValue(mountSecret(auth.oidc().clientSecret(), mounts, volumes)).build());
    }
    if (auth.ldap() != null) {
      SecretRef bind = auth.ldap().bindPassword();
      env.add(new EnvVarBuilder().withName("LDAP_BIND_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
          .withName(secretName(bind)).withKey(bind.secret().key()).endSecretKeyRef().endValueFrom().build());
      mounts.add(new VolumeMountBuilder().withName("ldap").withMountPath("/etc/grafana/ldap").withReadOnly(true).build());
      volumes.add(new VolumeBuilder().withName("ldap").withNewConfigMap().withName("grafana-ldap").endConfigMap().build());
    }

    Container grafana = kit.container(NAME, kit.image(), Kit.resources(spec.resources(), "100m", "256Mi", "500m", "1Gi"))
        .withEnv(env)
        .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(PORT).withProtocol("TCP").build())
        .withVolumeMounts(mounts)
        .withStartupProbe(Kit.httpProbe("/api/health", "http", 0, 5, 60))
        .withLivenessProbe(Kit.httpProbe("/api/health", "http", 0, 15, 4))
        .withReadinessProbe(Kit.httpProbe("/api/health", "http", 0, 5, 3))
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
        .withNewMetadata().withLabels(kit.labels()).endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(Kit.podSecurity(472, 472))
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
      throw new IllegalArgumentException("Grafana reads secrets from Kubernetes Secrets, got " + ref.describe());
    }
    return ref.secret().name();
  }

  /** Mounts the Secret holding the reference (once) and returns the file path of its key. */
  private static String mountSecret(SecretRef ref, List<VolumeMount> mounts, List<Volume> volumes) {
    String secret = secretName(ref);
    String vol = "secret-" + secret;
    if (volumes.stream().noneMatch(v -> v.getName().equals(vol))) {
      mounts.add(new VolumeMountBuilder().withName(vol).withMountPath(SECRETS + "/" + secret).withReadOnly(true).build());
      volumes.add(new VolumeBuilder().withName(vol).withNewSecret().withSecretName(secret).withDefaultMode(0440).endSecret().build());
    }
    return SECRETS + "/" + secret + "/" + ref.secret().key();
  }

  /** grafana.ini, section by section. */
  static String ini(RenderContext ctx, GrafanaSpec spec) {
    Map<String, Map<String, String>> ini = new LinkedHashMap<>();
    Map<String, String> server = section(ini, "server");
    server.put("http_port", String.valueOf(PORT));
    Exposure.externalUrl(ctx, spec.access(), NAME).ifPresent(u -> server.put("root_url", u));
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
      o.put("scopes", String.join(" ", auth.oidc().scopes().isEmpty() ? List.of("openid", "email", "profile") : auth.oidc().scopes()));
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
    StringBuilder sb = new StringBuilder("; Rendered by vigil from the station spec. Secrets come from files, never from here.\n");
    ini.forEach((name, values) -> {
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

  static String ldapToml(GrafanaSpec.Ldap ldap) {
    StringJoiner bases = new StringJoiner("\", \"", "[\"", "\"]");
    ldap.searchBaseDns().forEach(bases::add);
    return "# Rendered by vigil. The bind password comes from the LDAP_BIND_PASSWORD variable (a Secret).\n"
        + "[[servers]]\n"
        + "host = \"" + ldap.host() + "\"\n"
        + "port = " + ldap.port() + "\n"
        + "use_ssl = " + ldap.useSsl() + "\n"
        + "ssl_skip_verify = false\n"
        + "bind_dn = \"" + ldap.bindDn() + "\"\n"
        + "bind_password = \"${LDAP_BIND_PASSWORD}\"\n"
        + "search_filter = \"" + ldap.searchFilter() + "\"\n"
        + "search_base_dns = " + (ldap.searchBaseDns().isEmpty() ? "[]" : bases) + "\n";
  }

  /**
   * Datasources every enabled component offers, with the fixed uids dashboards refer to; the
   * default one first, then by name.
   */
  public static String datasourcesFile(RenderContext ctx) {
    List<ProvisionedDatasource> offered = new ArrayList<>();
    ctx.contributions().datasources().values().forEach(offered::addAll);
    offered.sort(java.util.Comparator.comparing((ProvisionedDatasource p) -> !p.isDefault())
        .thenComparing(ProvisionedDatasource::displayName));
    List<Map<String, Object>> ds = new ArrayList<>();
    offered.forEach(p -> ds.add(p.provisioning()));
    return Yaml.write(ordered("apiVersion", 1, "datasources", ds));
  }

  static String provider() {
    return Yaml.write(ordered("apiVersion", 1, "providers", List.of(ordered(
        "name", "vigil", "folder", "Vigil", "type", "file", "disableDeletion", true,
        "allowUiUpdates", false, "updateIntervalSeconds", 60,
        "options", ordered("path", DASHBOARDS)))));
  }

  /** Uids of the datasources this station provisions. */
  public static List<String> provisionedUids(RenderContext ctx) {
    List<String> uids = new ArrayList<>();
    ctx.contributions().datasources().values().forEach(l -> l.forEach(p -> uids.add(p.ref().uid())));
    return uids;
  }
}
