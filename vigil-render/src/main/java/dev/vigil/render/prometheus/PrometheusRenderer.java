package dev.vigil.render.prometheus;

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
import dev.vigil.spec.model.PrometheusSpec;
import dev.vigil.spec.model.ScrapeTarget;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Durations;
import dev.vigil.spec.types.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus: StatefulSet with its TSDB volume, config and rules, RBAC for discovery. */
@AutoService(ComponentRenderer.class)
public final class PrometheusRenderer implements ComponentRenderer {
  public static final String NAME = "prometheus";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("prometheus", "quay.io/prometheus/prometheus:v3.5.0")
          .image(
              "config-reloader", "quay.io/prometheus-operator/prometheus-config-reloader:v0.84.0")
          .tags(Tag.MONITORING)
          .offers(Datasources.PROMETHEUS)
          .scrapeJobs(NAME)
          // general: the pipeline's own health (Watchdog and the like), always loaded.
          .ruleFiles("prometheus.rules.yaml", "general.rules.yaml")
          .dashboards(new PrometheusHealth())
          .stateful()
          .dependsOn("alertmanager")
          .reads(Component.Extension.SCRAPE_JOBS, Component.Extension.RULE_FILES)
          .build();
  public static final int PORT = 9090;
  public static final int NODE_PORT = 30090;
  public static final String PRIORITY_CLASS = "vigil-monitoring-critical";
  static final Quantity DEFAULT_VOLUME = Quantity.parse("10Gi");
  static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
  static final Duration MIN_SCRAPE_INTERVAL = Duration.ofSeconds(15);

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    // With the cluster's Prometheus Operator running it, Vigil renders what it consumes instead.
    return station.components().prometheus().enabled()
        && station.stack() == dev.vigil.spec.model.Stack.VIGIL;
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "web"));
  }

  @Override
  public List<ProvisionedDatasource> datasources(RenderContext ctx) {
    return List.of(
        new ProvisionedDatasource(
            Datasources.PROMETHEUS,
            "Prometheus",
            "http://" + ctx.serviceHost(NAME) + ":" + PORT,
            true,
            ordered(
                "timeInterval",
                Durations.format(ctx.components().prometheus().scrapeInterval()),
                "httpMethod",
                "POST")));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    PrometheusSpec spec = ctx.components().prometheus();
    String image = ctx.image(COMPONENT, "prometheus", spec.image());
    ComponentObjects kit = new ComponentObjects(ctx, NAME, ctx.namespace(), "metrics", image);
    int replicas = ctx.station().replicasFor(spec.replicas());

    out.add(kit.serviceAccount(true));
    out.add(clusterRole(kit), clusterRoleBinding(kit));
    out.add(
        new PriorityClassBuilder()
            .withMetadata(kit.clusterMeta(PRIORITY_CLASS))
            .withValue(1_000_000)
            .withGlobalDefault(false)
            .withDescription(
                "The monitoring stack's stateful core: evicted after workloads, so alerts keep flowing under node pressure.")
            .build());
    out.add(
        kit.configMap("prometheus-config", Map.of("prometheus.yml", config(ctx, spec, replicas))));
    out.add(kit.configMap("prometheus-rules", ctx.ruleFiles()));
    out.add(statefulSet(kit, spec, replicas));
    out.add(kit.headlessService("prometheus-headless", ComponentObjects.port("web", PORT, "web")));
    out.add(
        kit.service(
            NAME,
            ExternalAccess.nodePort(ctx, spec.access(), NODE_PORT),
            ComponentObjects.port("web", PORT, "web")));
    ExternalAccess.ingress(kit, spec.access(), NAME, PORT, ExternalAccess.Login.NONE)
        .ifPresent(
            ingress -> {
              List<String> writePaths = writePaths(ctx);
              if (!writePaths.isEmpty()) {
                out.add(closeWritePaths(kit, ingress, writePaths));
              }
              out.add(ingress);
            });
    out.add(kit.pdb(replicas));
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> readers =
        new ArrayList<>(
            List.of(NetPol.app(ctx.namespace(), "grafana"), NetPol.app(ctx.namespace(), NAME)));
    // The components that push into the write receivers; nobody else inside the cluster reaches
    // them.
    writers(ctx).forEach(w -> readers.add(NetPol.app(ctx.namespace(), w)));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)),
                readers.toArray(
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer[]::new));
    // The web port only: the config reloader's port stays closed to everyone.
    ExternalAccess.allowFromOutside(np, ctx, spec.access(), NAME, NODE_PORT, PORT);
    out.add(np.build());
  }

  /** Component that pushes metrics over OTLP. */
  static final String OTLP_WRITER = "otel-collector";

  /**
   * Components that push into Prometheus (docs/decisions/0301-telemetry-pushed-into-prometheus.md):
   * the collector over OTLP, Tempo's metrics generator over remote write.
   */
  static List<String> writers(RenderContext ctx) {
    List<String> w = new ArrayList<>();
    if (ctx.isEnabled(OTLP_WRITER)) {
      w.add(OTLP_WRITER);
    }
    if (dev.vigil.render.tempo.TempoRenderer.generatesMetrics(ctx)) {
      w.add(dev.vigil.render.tempo.TempoRenderer.NAME);
    }
    return w;
  }

  /** The HTTP paths of the write receivers this station turns on. */
  static List<String> writePaths(RenderContext ctx) {
    List<String> paths = new ArrayList<>();
    if (ctx.isEnabled(OTLP_WRITER)) {
      paths.add("/api/v1/otlp");
    }
    if (dev.vigil.render.tempo.TempoRenderer.generatesMetrics(ctx)) {
      paths.add("/api/v1/write");
    }
    return paths;
  }

  /** The flags that turn the write receivers on. */
  static List<String> writeReceiverFlags(RenderContext ctx) {
    List<String> flags = new ArrayList<>();
    if (ctx.isEnabled(OTLP_WRITER)) {
      flags.add("--web.enable-otlp-receiver");
    }
    if (dev.vigil.render.tempo.TempoRenderer.generatesMetrics(ctx)) {
      flags.add("--web.enable-remote-write-receiver");
    }
    return flags;
  }

  /** Every Prometheus replica's stable host name, for writers that must reach each one. */
  public static List<String> replicaHosts(RenderContext ctx) {
    int replicas = ctx.station().replicasFor(ctx.components().prometheus().replicas());
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      hosts.add(NAME + "-" + i + ".prometheus-headless." + ctx.namespace() + ".svc");
    }
    return hosts;
  }

  /** Service without endpoints: the Ingress routes the write paths to it, so they answer 503. */
  static final String WRITES_REFUSED = "prometheus-writes-refused";

  /**
   * People who pass the Ingress's authentication may read, never write: the write receivers' paths
   * go to a Service that has no endpoints. More specific paths win over the Ingress's "/" in every
   * controller, so no controller-specific annotation is needed.
   */
  private static io.fabric8.kubernetes.api.model.Service closeWritePaths(
      ComponentObjects kit,
      io.fabric8.kubernetes.api.model.networking.v1.Ingress ingress,
      List<String> writePaths) {
    var http = ingress.getSpec().getRules().get(0).getHttp();
    List<io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath> paths = new ArrayList<>();
    for (String p : writePaths) {
      paths.add(
          new io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder()
              .withPath(p)
              .withPathType("Prefix")
              .withNewBackend()
              .withNewService()
              .withName(WRITES_REFUSED)
              .withNewPort()
              .withNumber(PORT)
              .endPort()
              .endService()
              .endBackend()
              .build());
    }
    paths.addAll(http.getPaths());
    http.setPaths(paths);
    return new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withMetadata(kit.meta(WRITES_REFUSED))
        .withNewSpec()
        .withType("ClusterIP")
        .addNewPort()
        .withName("web")
        .withPort(PORT)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.ClusterRole clusterRole(
      ComponentObjects kit) {
    return new ClusterRoleBuilder()
        .withMetadata(kit.clusterMeta("vigil-" + kit.ctx().instance() + "-prometheus"))
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("nodes", "nodes/metrics", "services", "endpoints", "pods")
                .withVerbs("get", "list", "watch")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("discovery.k8s.io")
                .withResources("endpointslices")
                .withVerbs("get", "list", "watch")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("networking.k8s.io")
                .withResources("ingresses")
                .withVerbs("get", "list", "watch")
                .build(),
            new PolicyRuleBuilder()
                .withNonResourceURLs("/metrics", "/metrics/cadvisor")
                .withVerbs("get")
                .build())
        .build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding clusterRoleBinding(
      ComponentObjects kit) {
    String name = "vigil-" + kit.ctx().instance() + "-prometheus";
    return new ClusterRoleBindingBuilder()
        .withMetadata(kit.clusterMeta(name))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(NAME)
        .withNamespace(kit.namespace())
        .endSubject()
        .build();
  }

  /** The volume size and the retention size that fits in it (90 % by default). */
  static Quantity volume(PrometheusSpec spec) {
    return spec.storage().size() != null ? spec.storage().size() : DEFAULT_VOLUME;
  }

  static String retentionSize(PrometheusSpec spec) {
    if (spec.retention().size() != null) {
      return spec.retention().size().prometheusSize();
    }
    // Leave 10 % headroom: the WAL and compaction need space beyond the retention limit.
    BigDecimal mb =
        volume(spec)
            .value()
            .multiply(new BigDecimal("0.9"))
            .divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.DOWN);
    return mb.toPlainString() + "MB";
  }

  private io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(
      ComponentObjects kit, PrometheusSpec spec, int replicas) {
    RenderContext ctx = kit.ctx();
    Duration retention =
        spec.retention().time() != null ? spec.retention().time() : DEFAULT_RETENTION;
    List<String> args =
        new ArrayList<>(
            List.of(
                "--config.file=/etc/prometheus/config/prometheus.yml",
                "--storage.tsdb.path=/prometheus",
                "--storage.tsdb.retention.time=" + Durations.format(retention),
                "--storage.tsdb.retention.size=" + retentionSize(spec),
                "--query.timeout=" + Durations.format(spec.query().timeout()),
                "--query.max-concurrency=" + spec.query().maxConcurrency(),
                "--query.max-samples=" + spec.query().maxSamples(),
                "--web.listen-address=:" + PORT));
    args.addAll(writeReceiverFlags(ctx));
    ExternalAccess.externalUrl(ctx, spec.access(), NAME)
        .ifPresent(u -> args.add("--web.external-url=" + u));

    Container prometheus =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "500m", "1Gi", "2", "4Gi"))
            .withArgs(args)
            .withEnv(
                new EnvVarBuilder()
                    .withName("POD_NAME")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .build())
            .withPorts(
                new ContainerPortBuilder()
                    .withName("web")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/prometheus/config")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("rules")
                    .withMountPath("/etc/prometheus/rules")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("data").withMountPath("/prometheus").build())
            // WAL replay after a crash can take minutes on a full volume; the startup probe allows
            // 15 minutes before liveness takes over.
            .withStartupProbe(ComponentObjects.httpProbe("/-/ready", "web", 0, 10, 90))
            .withLivenessProbe(ComponentObjects.httpProbe("/-/healthy", "web", 0, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/-/ready", "web", 0, 5, 3))
            .build();

    Container reloader =
        kit.container(
                "config-reloader",
                ctx.image(COMPONENT, "config-reloader", null),
                ComponentObjects.resources(null, "10m", "32Mi", "100m", "64Mi"))
            // Reload by SIGHUP through the pod's shared process namespace, so the lifecycle API
            // (which would also let anyone who reaches Prometheus stop it) stays off; the runtime
            // info
            // endpoint confirms each reload.
            .withArgs(
                "--listen-address=:8080",
                "--reload-method=signal",
                "--process-executable-name=prometheus",
                "--runtimeinfo-url=http://127.0.0.1:" + PORT + "/api/v1/status/runtimeinfo",
                "--watched-dir=/etc/prometheus/config",
                "--watched-dir=/etc/prometheus/rules")
            .withPorts(
                new ContainerPortBuilder()
                    .withName("reloader")
                    .withContainerPort(8080)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/prometheus/config")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("rules")
                    .withMountPath("/etc/prometheus/rules")
                    .withReadOnly(true)
                    .build())
            .withLivenessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("reloader"))
                    .endTcpSocket()
                    .withPeriodSeconds(30)
                    .withTimeoutSeconds(5)
                    .withFailureThreshold(3)
                    .build())
            .withReadinessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("reloader"))
                    .endTcpSocket()
                    .withPeriodSeconds(10)
                    .withTimeoutSeconds(5)
                    .withFailureThreshold(3)
                    .build())
            .build();

    var pvc = kit.dataClaim(volume(spec).text(), spec.storage().className());

    return new StatefulSetBuilder()
        .withMetadata(kit.meta(NAME))
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName("prometheus-headless")
        .withPodManagementPolicy("Parallel")
        .withSelector(kit.selector())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(kit.labels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(true)
        // The config reloader signals Prometheus (same user) to reload; see its arguments.
        .withShareProcessNamespace(true)
        .withPriorityClassName(PRIORITY_CLASS)
        .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
        .withTerminationGracePeriodSeconds(600L)
        .withAffinity(Scheduling.spreadByHost(kit))
        .withContainers(prometheus, reloader)
        .withVolumes(
            new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                .withName("prometheus-config")
                .endConfigMap()
                .build(),
            new VolumeBuilder()
                .withName("rules")
                .withNewConfigMap()
                .withName("prometheus-rules")
                .endConfigMap()
                .build())
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(pvc)
        .endSpec()
        .build();
  }

  /** prometheus.yml. */
  String config(RenderContext ctx, PrometheusSpec spec, int replicas) {
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("scrape_interval", Durations.format(spec.scrapeInterval()));
    global.put("scrape_timeout", "10s");
    global.put("evaluation_interval", Durations.format(spec.evaluationInterval()));
    Map<String, Object> external = new LinkedHashMap<>();
    external.put("cluster", ctx.station().cluster().name());
    new java.util.TreeMap<>(ctx.station().cluster().externalLabels()).forEach(external::put);
    if (replicas > 1) {
      external.put("prometheus_replica", "${POD_NAME}");
    }
    global.put("external_labels", external);

    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("global", global);
    cfg.put("rule_files", List.of("/etc/prometheus/rules/*.yaml"));
    if (ctx.isEnabled("alertmanager")) {
      int amReplicas = ctx.station().replicasFor(ctx.components().alertmanager().replicas());
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < amReplicas; i++) {
        targets.add(
            "alertmanager-" + i + ".alertmanager-headless." + ctx.namespace() + ".svc:9093");
      }
      Map<String, Object> alerting = new LinkedHashMap<>();
      // HA replicas send the same alerts; drop the replica label so Alertmanager deduplicates.
      alerting.put(
          "alert_relabel_configs",
          List.of(ordered("regex", "prometheus_replica", "action", "labeldrop")));
      alerting.put(
          "alertmanagers",
          List.of(
              ordered("api_version", "v2", "static_configs", List.of(Map.of("targets", targets)))));
      cfg.put("alerting", alerting);
    }

    // Every enabled component's jobs by name, then the spec's own targets in its order.
    List<Map<String, Object>> jobs = new ArrayList<>();
    ctx.contributions().scrapeJobs().values().forEach(jobs::addAll);
    jobs.sort(java.util.Comparator.comparing(j -> String.valueOf(j.get("job_name"))));
    for (ScrapeTarget t : spec.extraScrapeTargets()) {
      jobs.add(extraJob(t));
    }
    cfg.put("scrape_configs", jobs);
    return "# Rendered by vigil from the station spec.\n" + Yaml.write(cfg);
  }

  static Map<String, Object> extraJob(ScrapeTarget t) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", t.name());
    if (t.interval() != null) {
      j.put("scrape_interval", Durations.format(t.interval()));
    }
    Map<String, String> labels = new java.util.TreeMap<>(t.labels());
    if (!t.federate().isEmpty()) {
      // Federated series keep their own job and instance labels; only `cluster` is ours.
      j.put("honor_labels", true);
      j.put("metrics_path", "/federate");
      j.put("params", Map.of("match[]", t.federate()));
      if (t.cluster() != null) {
        labels.put("cluster", t.cluster());
      }
    } else {
      j.put("metrics_path", t.path());
    }
    j.put("scheme", t.scheme());
    if (t.insecureSkipVerify()) {
      j.put("tls_config", Map.of("insecure_skip_verify", true));
    }
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("targets", t.targets());
    if (!labels.isEmpty()) {
      sc.put("labels", labels);
    }
    j.put("static_configs", List.of(sc));
    return j;
  }
}
