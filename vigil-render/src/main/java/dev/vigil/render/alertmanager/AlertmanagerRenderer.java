package dev.vigil.render.alertmanager;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.ExternalAccess;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Datasources;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.k8s.Scheduling;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.Alerting;
import dev.vigil.spec.model.Alerting.Receiver;
import dev.vigil.spec.model.Alerting.Route;
import dev.vigil.spec.model.AlertmanagerSpec;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Durations;
import dev.vigil.spec.types.Quantity;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Alertmanager: clustered StatefulSet, routing by severity and team, inhibition, receivers whose
 * secrets are read from mounted Kubernetes Secrets (the *_file settings), never inlined.
 */
@AutoService(ComponentRenderer.class)
public final class AlertmanagerRenderer implements ComponentRenderer {
  public static final String NAME = "alertmanager";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("alertmanager", "quay.io/prometheus/alertmanager:v0.28.1")
          .tags(Tag.MONITORING)
          .offers(Datasources.ALERTMANAGER)
          .scrapeJobs(NAME)
          .ruleFiles("alertmanager.rules.yaml")
          .dashboards(new AlertsOverview(), new AlertmanagerOverview())
          .stateful()
          .build();
  public static final int PORT = 9093;
  public static final int CLUSTER_PORT = 9094;
  public static final int NODE_PORT = 30093;
  static final String SECRETS_DIR = "/etc/alertmanager/secrets";

  /** Receiver of alerts that exist only to prove the pipeline works or to inhibit others. */
  public static final String NULL_RECEIVER = "null";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    // With the cluster's Prometheus Operator running it, Vigil renders what it consumes instead.
    return station.components().alertmanager().enabled()
        && station.stack() == dev.vigil.spec.model.Stack.VIGIL;
  }

  @Override
  public List<ProvisionedDatasource> datasources(RenderContext ctx) {
    return List.of(
        new ProvisionedDatasource(
            Datasources.ALERTMANAGER,
            "Alertmanager",
            "http://" + ctx.serviceHost(NAME) + ":" + PORT,
            false,
            ordered("implementation", "prometheus", "handleGrafanaManagedAlerts", false)));
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "web"));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    AlertmanagerSpec spec = ctx.components().alertmanager();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "alerting", ctx.image(COMPONENT, NAME, spec.image()));
    int replicas = ctx.station().replicasFor(spec.replicas());
    out.add(kit.serviceAccount(false));
    out.add(
        kit.configMap(
            "alertmanager-config", Map.of("alertmanager.yml", config(ctx.station().alerting()))));
    out.add(statefulSet(kit, spec, replicas, ctx.station().alerting()));
    // A single replica runs without gossip (an empty --cluster.listen-address starts no peer):
    // nothing listens on the cluster port, so nothing declares or admits it.
    boolean clustered = replicas > 1;
    out.add(
        clustered
            ? kit.headlessService(
                "alertmanager-headless",
                ComponentObjects.port("web", PORT, "web"),
                ComponentObjects.port("cluster", CLUSTER_PORT, "cluster"))
            : kit.headlessService(
                "alertmanager-headless", ComponentObjects.port("web", PORT, "web")));
    int nodePort = ExternalAccess.nodePort(ctx, spec.access(), NODE_PORT);
    out.add(kit.service(NAME, nodePort, ComponentObjects.port("web", PORT, "web")));
    ExternalAccess.ingress(kit, spec.access(), NAME, PORT, ExternalAccess.Login.NONE)
        .ifPresent(out::add);
    out.add(kit.pdb(replicas));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)),
                NetPol.app(ctx.namespace(), PrometheusRenderer.NAME),
                NetPol.app(ctx.namespace(), "grafana"),
                NetPol.app(ctx.namespace(), NAME));
    if (clustered) {
      np.allowIn(
          List.of(NetPol.tcp(CLUSTER_PORT), NetPol.udp(CLUSTER_PORT)),
          NetPol.app(ctx.namespace(), NAME));
    }
    ExternalAccess.allowFromOutside(np, ctx, spec.access(), NAME, NODE_PORT, PORT);
    out.add(np.build());
  }

  private static List<io.fabric8.kubernetes.api.model.ContainerPort> ports(boolean clustered) {
    List<io.fabric8.kubernetes.api.model.ContainerPort> ports = new ArrayList<>();
    ports.add(
        new ContainerPortBuilder()
            .withName("web")
            .withContainerPort(PORT)
            .withProtocol("TCP")
            .build());
    if (clustered) {
      ports.add(
          new ContainerPortBuilder()
              .withName("cluster")
              .withContainerPort(CLUSTER_PORT)
              .withProtocol("TCP")
              .build());
      ports.add(
          new ContainerPortBuilder()
              .withName("cluster-udp")
              .withContainerPort(CLUSTER_PORT)
              .withProtocol("UDP")
              .build());
    }
    return ports;
  }

  /** The Secrets receivers read, by name; each is mounted under SECRETS_DIR/<name>/. */
  static TreeSet<String> secretNames(Alerting alerting) {
    TreeSet<String> names = new TreeSet<>();
    for (Receiver r : alerting.receivers()) {
      for (SecretRef ref : refs(r)) {
        if (ref.secret() != null) {
          names.add(ref.secret().name());
        }
      }
    }
    return names;
  }

  private static List<SecretRef> refs(Receiver r) {
    List<SecretRef> refs = new ArrayList<>();
    if (r.slack() != null) {
      refs.add(r.slack().apiUrl());
    }
    if (r.pagerduty() != null) {
      refs.add(r.pagerduty().routingKey());
    }
    if (r.email() != null && r.email().authPassword() != null) {
      refs.add(r.email().authPassword());
    }
    if (r.webhook() != null) {
      refs.add(r.webhook().url());
    }
    return refs;
  }

  /** Path of the mounted file holding a secret; the loader only admits Secret references here. */
  static String file(SecretRef ref) {
    if (ref.secret() == null) {
      throw new IllegalArgumentException(
          "Alertmanager receivers read secrets from Kubernetes Secrets, got " + ref.describe());
    }
    return SECRETS_DIR + "/" + ref.secret().name() + "/" + ref.secret().key();
  }

  private io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(
      ComponentObjects kit, AlertmanagerSpec spec, int replicas, Alerting alerting) {
    RenderContext ctx = kit.ctx();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--config.file=/etc/alertmanager/config/alertmanager.yml",
                "--storage.path=/alertmanager",
                "--web.listen-address=:" + PORT,
                "--cluster.listen-address=" + (replicas > 1 ? "[$(POD_IP)]:" + CLUSTER_PORT : "")));
    for (int i = 0; i < replicas && replicas > 1; i++) {
      args.add(
          "--cluster.peer=alertmanager-"
              + i
              + ".alertmanager-headless."
              + ctx.namespace()
              + ".svc:"
              + CLUSTER_PORT);
    }
    ExternalAccess.externalUrl(ctx, spec.access(), NAME)
        .ifPresent(u -> args.add("--web.external-url=" + u));

    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath("/etc/alertmanager/config")
            .withReadOnly(true)
            .build());
    mounts.add(new VolumeMountBuilder().withName("data").withMountPath("/alertmanager").build());
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName("alertmanager-config")
            .endConfigMap()
            .build());
    for (String secret : secretNames(alerting)) {
      String vol = "secret-" + secret;
      mounts.add(
          new VolumeMountBuilder()
              .withName(vol)
              .withMountPath(SECRETS_DIR + "/" + secret)
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

    Container am =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "50m", "64Mi", "500m", "256Mi"))
            .withArgs(args)
            .withEnv(
                new EnvVarBuilder()
                    .withName("POD_IP")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("status.podIP")
                    .endFieldRef()
                    .endValueFrom()
                    .build())
            .withPorts(ports(replicas > 1))
            .withVolumeMounts(mounts)
            .withStartupProbe(ComponentObjects.httpProbe("/-/ready", "web", 0, 5, 30))
            .withLivenessProbe(ComponentObjects.httpProbe("/-/healthy", "web", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/-/ready", "web", 0, 5, 3))
            .build();

    Quantity size = spec.storage().size() != null ? spec.storage().size() : Quantity.parse("2Gi");
    var pvc = kit.dataClaim(size.text(), spec.storage().className());

    return new StatefulSetBuilder()
        .withMetadata(kit.meta(NAME))
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName("alertmanager-headless")
        .withPodManagementPolicy("Parallel")
        .withSelector(kit.selector())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(kit.labels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(false)
        .withPriorityClassName(PrometheusRenderer.PRIORITY_CLASS)
        .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
        .withAffinity(Scheduling.spreadByHost(kit))
        .withContainers(am)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(pvc)
        .endSpec()
        .build();
  }

  /** A route the spec writes for the Watchdog heartbeat: it matches alertname Watchdog. */
  static boolean heartbeat(Route r) {
    return "Watchdog".equals(r.match().get("alertname"));
  }

  private static Map<String, Object> route(Route r) {
    List<String> matchers = new ArrayList<>();
    if (r.severity() != null) {
      matchers.add("severity=\"" + r.severity() + "\"");
    }
    if (r.team() != null) {
      matchers.add("team=\"" + r.team() + "\"");
    }
    new java.util.TreeMap<>(r.match()).forEach((k, v) -> matchers.add(k + "=\"" + v + "\""));
    Map<String, Object> m = ordered("receiver", r.receiver(), "matchers", matchers);
    if (r.continueMatching()) {
      m.put("continue", true);
    }
    return m;
  }

  /** alertmanager.yml. */
  public static String config(Alerting alerting) {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("global", Map.of("resolve_timeout", "5m"));

    Map<String, Object> route = new LinkedHashMap<>();
    String fallback =
        alerting.defaultReceiver() != null ? alerting.defaultReceiver() : NULL_RECEIVER;
    route.put("receiver", fallback);
    List<String> groupBy =
        alerting.groupBy().isEmpty()
            ? List.of("alertname", "cluster", "namespace", "severity")
            : alerting.groupBy();
    route.put("group_by", groupBy);
    route.put("group_wait", Durations.format(alerting.groupWait()));
    route.put("group_interval", Durations.format(alerting.groupInterval()));
    route.put("repeat_interval", Durations.format(alerting.repeatInterval()));
    List<Map<String, Object>> routes = new ArrayList<>();
    // A route of the spec for the Watchdog heartbeat itself (match alertname: Watchdog) comes
    // first, so a dead-man's-switch service behind it receives the heartbeat, every minute.
    for (Route r : alerting.routes()) {
      if (heartbeat(r)) {
        Map<String, Object> m = route(r);
        m.put("group_wait", "0s");
        m.put("group_interval", "1m");
        m.put("repeat_interval", "1m");
        routes.add(m);
      }
    }
    // Otherwise Watchdog, which proves the pipeline end to end, and InfoInhibitor, which only
    // mutes info alerts, page nobody.
    routes.add(
        ordered(
            "receiver",
            NULL_RECEIVER,
            "matchers",
            List.of("alertname=~\"Watchdog|InfoInhibitor\"")));
    for (Route r : alerting.routes()) {
      if (!heartbeat(r)) {
        routes.add(route(r));
      }
    }
    route.put("routes", routes);
    cfg.put("route", route);

    cfg.put(
        "inhibit_rules",
        List.of(
            ordered(
                "source_matchers",
                List.of("severity=\"critical\""),
                "target_matchers",
                List.of("severity=\"warning\""),
                "equal",
                List.of("alertname", "instance")),
            ordered(
                "source_matchers",
                List.of("severity=~\"critical|warning\""),
                "target_matchers",
                List.of("severity=\"info\""),
                "equal",
                List.of("alertname", "instance")),
            ordered(
                "source_matchers",
                List.of("alertname=\"InfoInhibitor\""),
                "target_matchers",
                List.of("severity=\"info\""),
                "equal",
                List.of("namespace"))));

    List<Map<String, Object>> receivers = new ArrayList<>();
    receivers.add(ordered("name", NULL_RECEIVER));
    for (Receiver r : alerting.receivers()) {
      Map<String, Object> rec = ordered("name", r.name());
      if (r.slack() != null) {
        Map<String, Object> s =
            ordered(
                "api_url_file",
                file(r.slack().apiUrl()),
                "send_resolved",
                r.slack().sendResolved());
        if (r.slack().channel() != null) {
          s.put("channel", r.slack().channel());
        }
        s.put(
            "title",
            "[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.cluster }})");
        s.put(
            "text",
            "{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}{{ end }}\n{{ end }}");
        rec.put("slack_configs", List.of(s));
      }
      if (r.pagerduty() != null) {
        rec.put(
            "pagerduty_configs",
            List.of(
                ordered(
                    "routing_key_file", file(r.pagerduty().routingKey()),
                    "send_resolved", r.pagerduty().sendResolved())));
      }
      if (r.email() != null) {
        Map<String, Object> e =
            ordered(
                "to",
                r.email().to(),
                "from",
                r.email().from(),
                "smarthost",
                r.email().smarthost(),
                "require_tls",
                r.email().requireTls());
        if (r.email().authUsername() != null) {
          e.put("auth_username", r.email().authUsername());
          e.put("auth_password_file", file(r.email().authPassword()));
        }
        e.put("send_resolved", r.email().sendResolved());
        rec.put("email_configs", List.of(e));
      }
      if (r.webhook() != null) {
        rec.put(
            "webhook_configs",
            List.of(
                ordered(
                    "url_file", file(r.webhook().url()),
                    "send_resolved", r.webhook().sendResolved())));
      }
      receivers.add(rec);
    }
    cfg.put("receivers", receivers);
    return "# Rendered by vigil from the station spec. Secrets are files mounted from Kubernetes Secrets.\n"
        + Yaml.write(cfg);
  }
}
