package dev.vigil.render.loki;

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
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.LokiSpec;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Durations;
import dev.vigil.spec.types.Quantity;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loki in single-binary mode: TSDB schema v13 on a volume, WAL, compactor-driven retention. */
@AutoService(ComponentRenderer.class)
public final class LokiRenderer implements ComponentRenderer {
  public static final String NAME = "loki";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("loki", "docker.io/grafana/loki:3.5.3")
          .tags(Tag.LOGGING)
          .offers(Datasources.LOKI)
          .scrapeJobs(NAME)
          .ruleFiles("loki.rules.yaml")
          .dashboards(new LokiLogs())
          .stateful()
          .build();
  public static final int PORT = 3100;
  public static final int NODE_PORT = 31100;
  static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().loki().enabled();
  }

  @Override
  public List<ProvisionedDatasource> datasources(RenderContext ctx) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("maxLines", 1000);
    if (ctx.isEnabled(TRACES)) {
      json.put("derivedFields", traceLinks());
    }
    Map<String, String> secure = new LinkedHashMap<>();
    tenant(ctx)
        .ifPresent(
            t -> {
              // Grafana sends custom headers from secureJsonData only; the tenant name itself is no
              // secret.
              json.put("httpHeaderName1", "X-Scope-OrgID");
              secure.put("httpHeaderValue1", t);
            });
    return List.of(
        new ProvisionedDatasource(
            Datasources.LOKI,
            "Loki",
            "http://" + ctx.serviceHost(NAME) + ":" + PORT,
            false,
            json,
            secure));
  }

  /**
   * The trace store the log lines link to (its component name; its datasource is
   * Datasources.TEMPO).
   */
  static final String TRACES = "tempo";

  /**
   * Derived fields that turn a log line's trace id into a link to the trace in Tempo: the trace_id
   * structured metadata of logs that came over OTLP, and a trace id written in the line itself
   * (traceID=..., "trace_id":"...", traceId: ...). Grafana expands environment variables in
   * provisioning files, so its ${__value.raw} is written with $$.
   */
  static List<Map<String, Object>> traceLinks() {
    return List.of(
        ordered(
            "name",
            "TraceID",
            "matcherType",
            "label",
            "matcherRegex",
            "trace_id",
            "datasourceUid",
            Datasources.TEMPO_UID,
            "url",
            "$${__value.raw}",
            "urlDisplayLabel",
            "View trace"),
        ordered(
            "name",
            "TraceID in line",
            "matcherType",
            "regex",
            "matcherRegex",
            "(?:traceID|traceId|trace_id)\\W{1,4}([0-9a-fA-F]{32})",
            "datasourceUid",
            Datasources.TEMPO_UID,
            "url",
            "$${__value.raw}",
            "urlDisplayLabel",
            "View trace"));
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    LokiSpec spec = ctx.components().loki();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "logs", ctx.image(COMPONENT, NAME, spec.image()));
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap("loki-config", Map.of("loki.yaml", config(spec, multiTenant(ctx)))));
    Quantity size = spec.storage().size() != null ? spec.storage().size() : Quantity.parse("20Gi");
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "200m", "512Mi", "1", "2Gi"))
            .withArgs("-config.file=/etc/loki/loki.yaml", "-target=all")
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("grpc")
                    .withContainerPort(9095)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/loki")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("data").withMountPath("/var/loki").build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
            // WAL replay delays readiness after a crash; the startup probe allows 10 minutes.
            .withStartupProbe(ComponentObjects.httpProbe("/ready", "http", 0, 10, 60))
            .withLivenessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("http"))
                    .endTcpSocket()
                    .withPeriodSeconds(15)
                    .withTimeoutSeconds(5)
                    .withFailureThreshold(4)
                    .build())
            .withReadinessProbe(ComponentObjects.httpProbe("/ready", "http", 0, 10, 3))
            .build();
    out.add(
        new StatefulSetBuilder()
            .withMetadata(kit.meta(NAME))
            .withNewSpec()
            // Single-binary Loki on a filesystem store is one replica; scale out means object
            // storage.
            .withReplicas(1)
            .withServiceName("loki-headless")
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(false)
            .withPriorityClassName(PrometheusRenderer.PRIORITY_CLASS)
            .withSecurityContext(ComponentObjects.podSecurity(10001, 10001))
            .withTerminationGracePeriodSeconds(300L)
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("loki-config")
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("256Mi"))
                    .endEmptyDir()
                    .build())
            .endSpec()
            .endTemplate()
            .withVolumeClaimTemplates(kit.dataClaim(size.text(), spec.storage().className()))
            .endSpec()
            .build());
    out.add(
        kit.headlessService(
            "loki-headless",
            ComponentObjects.port("http", PORT, "http"),
            ComponentObjects.port("grpc", 9095, "grpc")));
    int nodePort = ExternalAccess.nodePort(ctx, spec.access(), NODE_PORT);
    out.add(kit.service(NAME, nodePort, ComponentObjects.port("http", PORT, "http")));
    ExternalAccess.ingress(kit, spec.access(), NAME, PORT, ExternalAccess.Login.NONE)
        .ifPresent(out::add);
    out.add(kit.pdb(1));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)),
                NetPol.app(ctx.namespace(), "grafana"),
                NetPol.app(ctx.namespace(), PrometheusRenderer.NAME),
                NetPol.app(ctx.agentsNamespace(), "alloy"),
                NetPol.namespace(ctx.station().cluster().infraNamespace()))
            .restrictEgress();
    // Devices and hosts outside the cluster push logs through the NodePort or ingress.
    ExternalAccess.allowFromOutside(np, ctx, spec.access(), NAME, NODE_PORT, PORT);
    out.add(np.build());
  }

  /** How long one query may run. */
  static final String QUERY_TIMEOUT = "2m";

  /**
   * How long Loki may take to answer: longer than the query timeout, or the HTTP server (30 s by
   * default) cuts long queries before the query timeout can apply.
   */
  static final String HTTP_WRITE_TIMEOUT = "3m";

  /**
   * Whether Loki requires a tenant (X-Scope-OrgID) on every request: the spec's, else production.
   */
  public static boolean multiTenant(RenderContext ctx) {
    Boolean set = ctx.components().loki().multiTenant();
    return set != null ? set : ctx.production();
  }

  /**
   * The tenant the stack's own writers and readers use when Loki is multi-tenant (empty when it is
   * not): the spec's, else the cluster name.
   */
  public static java.util.Optional<String> tenant(RenderContext ctx) {
    if (!ctx.isEnabled(NAME) || !multiTenant(ctx)) {
      return java.util.Optional.empty();
    }
    String t = ctx.components().loki().tenant();
    return java.util.Optional.of(t != null ? t : ctx.station().cluster().name());
  }

  /** loki.yaml. */
  static String config(LokiSpec spec, boolean multiTenant) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("auth_enabled", multiTenant);
    c.put(
        "server",
        ordered(
            "http_listen_port",
            PORT,
            "grpc_listen_port",
            9095,
            "log_level",
            "info",
            "log_format",
            "json",
            "http_server_write_timeout",
            HTTP_WRITE_TIMEOUT));
    c.put(
        "common",
        ordered(
            "path_prefix",
            "/var/loki",
            "replication_factor",
            1,
            "ring",
            ordered("instance_addr", "127.0.0.1", "kvstore", ordered("store", "inmemory")),
            "storage",
            ordered(
                "filesystem",
                ordered(
                    "chunks_directory",
                    "/var/loki/chunks",
                    "rules_directory",
                    "/var/loki/rules"))));
    c.put(
        "schema_config",
        ordered(
            "configs",
            List.of(
                ordered(
                    "from",
                    "2025-01-01",
                    "store",
                    "tsdb",
                    "object_store",
                    "filesystem",
                    "schema",
                    "v13",
                    "index",
                    ordered("prefix", "index_", "period", "24h")))));
    c.put(
        "ingester",
        ordered(
            "wal",
            ordered(
                "enabled",
                true,
                "dir",
                "/var/loki/wal",
                "flush_on_shutdown",
                true,
                "replay_memory_ceiling",
                "512MB")));
    c.put(
        "compactor",
        ordered(
            "working_directory", "/var/loki/compactor",
            "compaction_interval", "10m",
            "retention_enabled", true,
            "retention_delete_delay", "2h",
            "delete_request_store", "filesystem"));
    LokiSpec.LokiLimits l = spec.limits();
    Duration retention =
        spec.retention().time() != null ? spec.retention().time() : DEFAULT_RETENTION;
    Map<String, Object> limits =
        ordered(
            "retention_period", Durations.hours(retention),
            "ingestion_rate_mb", l.ingestionRateMb(),
            "ingestion_burst_size_mb", l.ingestionBurstSizeMb(),
            "per_stream_rate_limit", l.perStreamRateLimit(),
            "per_stream_rate_limit_burst", l.perStreamRateLimitBurst(),
            "max_query_length", Durations.hours(l.maxQueryLength()),
            "max_entries_limit_per_query", l.maxEntriesLimitPerQuery(),
            "max_label_names_per_series", l.maxLabelNamesPerSeries(),
            "max_query_series", 500,
            "max_query_parallelism", 16,
            // With the TSDB index this one bounds a query's parallelism, not max_query_parallelism.
            "tsdb_max_query_parallelism", 16,
            "query_timeout", QUERY_TIMEOUT,
            "reject_old_samples", true,
            "reject_old_samples_max_age", Durations.hours(l.rejectOldSamplesMaxAge()),
            "creation_grace_period", "10m",
            "allow_structured_metadata", true,
            "volume_enabled", true);
    c.put("limits_config", limits);
    // A results cache is only used when cache_results is on; it is off by default.
    c.put(
        "query_range",
        ordered(
            "cache_results",
            true,
            "results_cache",
            ordered(
                "cache", ordered("embedded_cache", ordered("enabled", true, "max_size_mb", 100)))));
    c.put("analytics", ordered("reporting_enabled", false));
    return "# Rendered by vigil from the station spec.\n" + Yaml.write(c);
  }
}
