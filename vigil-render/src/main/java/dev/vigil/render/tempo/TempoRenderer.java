package dev.vigil.render.tempo;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Datasources;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.model.TempoSpec;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grafana Tempo as one process ({@code -target=all}): distributor, ingester, querier, query
 * frontend and compactor, with its write-ahead log on a volume and the blocks on the same volume or
 * in an S3-compatible store. Spans arrive over OTLP gRPC from the OpenTelemetry Collector; Grafana
 * reads them over HTTP. Nothing outside the cluster reaches it.
 */
@AutoService(ComponentRenderer.class)
public final class TempoRenderer implements ComponentRenderer {
  public static final String NAME = "tempo";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("tempo", "docker.io/grafana/tempo:2.10.8")
          .tags(Tag.TRACING)
          .offers(Datasources.TEMPO)
          .scrapeJobs(NAME)
          .ruleFiles("tempo.rules.yaml")
          .dashboards(new TempoHealth(), new Traces())
          .stateful()
          .build();

  public static final int HTTP_PORT = 3200;
  public static final int GRPC_PORT = 9095;
  public static final int OTLP_GRPC_PORT = 4317;

  /** Where everything Tempo writes lives: the data volume. */
  static final String DATA = "/var/tempo";

  /** The collector that sends Tempo its spans (its app.kubernetes.io/name). */
  static final String COLLECTOR = "otel-collector";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().tempo().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "http"));
  }

  /** Whether Tempo's metrics generator writes span metrics into the stack's Prometheus. */
  public static boolean generatesMetrics(RenderContext ctx) {
    return ctx.isEnabled(NAME)
        && ctx.components().tempo().metricsGenerator()
        && ctx.isEnabled(PrometheusRenderer.NAME);
  }

  /** In-cluster URL of Tempo's HTTP API. */
  public static String url(RenderContext ctx) {
    return "http://" + ctx.serviceHost(NAME) + ":" + HTTP_PORT;
  }

  /** In-cluster OTLP gRPC endpoint (host:port) the collector exports spans to. */
  public static String otlpEndpoint(RenderContext ctx) {
    return ctx.serviceHost(NAME) + ":" + OTLP_GRPC_PORT;
  }

  @Override
  public List<ProvisionedDatasource> datasources(RenderContext ctx) {
    return List.of(
        new ProvisionedDatasource(
            Datasources.TEMPO, "Tempo", url(ctx), false, datasourceSettings(ctx)));
  }

  /**
   * The Tempo datasource's settings. Search is streamed over HTTP (Tempo serves it with {@code
   * stream_over_http_enabled}), so Grafana needs no route to Tempo's gRPC port.
   */
  static Map<String, Object> datasourceSettings(RenderContext ctx) {
    Map<String, Object> json = new LinkedHashMap<>();
    // Grafana expands environment variables in provisioning files: its own ${...} and $__tags
    // variables are written with $$ so they reach Grafana as written.
    if (ctx.isEnabled(LokiRenderer.NAME)) {
      // Logs of the span's service around the span's time, holding its trace id in the line or,
      // for logs that came over OTLP, in the trace_id structured metadata: Grafana's query
      // builder filters on both. Loki gives every stream service_name (from OTLP's service.name,
      // or from the app label of pod logs).
      json.put(
          "tracesToLogsV2",
          ordered(
              "datasourceUid",
              Datasources.LOKI_UID,
              "tags",
              List.of(ordered("key", "service.name", "value", "service_name")),
              "spanStartTimeShift",
              "-5m",
              "spanEndTimeShift",
              "5m",
              "filterByTraceID",
              true,
              "filterBySpanID",
              false,
              "customQuery",
              false));
    }
    if (generatesMetrics(ctx)) {
      String sel = "{$$__tags, cluster=\"\"}";
      json.put(
          "tracesToMetrics",
          ordered(
              "datasourceUid",
              Datasources.PROMETHEUS_UID,
              "tags",
              List.of(ordered("key", "service.name", "value", "service")),
              "spanStartTimeShift",
              "-10m",
              "spanEndTimeShift",
              "10m",
              "queries",
              List.of(
                  ordered(
                      "name",
                      "Request rate",
                      "query",
                      "sum(rate(traces_spanmetrics_calls_total" + sel + "[5m]))"),
                  ordered(
                      "name",
                      "Error ratio",
                      "query",
                      "sum(rate(traces_spanmetrics_calls_total{$$__tags, status_code=\"STATUS_CODE_ERROR\", cluster=\"\"}[5m]))"
                          + " / sum(rate(traces_spanmetrics_calls_total"
                          + sel
                          + "[5m]))"),
                  ordered(
                      "name",
                      "Latency p95",
                      "query",
                      "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket"
                          + sel
                          + "[5m])))"))));
      json.put("serviceMap", ordered("datasourceUid", Datasources.PROMETHEUS_UID));
    }
    json.put("nodeGraph", ordered("enabled", true));
    json.put("search", ordered("hide", false));
    json.put("streamingEnabled", ordered("search", true, "metrics", true));
    return json;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    TempoSpec spec = ctx.components().tempo();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "traces", ctx.image(COMPONENT, NAME, null));
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap("tempo-config", Map.of("tempo.yaml", config(ctx, spec))));
    List<EnvVar> env = new ArrayList<>();
    if (spec.backend() == TempoSpec.Backend.S3 && spec.s3().accessKeyId() != null) {
      // Tempo's S3 client reads the standard AWS variables when the file names no keys, so the
      // keys stay in their Secret and never reach the ConfigMap.
      env.add(secretEnv("AWS_ACCESS_KEY_ID", spec.s3().accessKeyId()));
      env.add(secretEnv("AWS_SECRET_ACCESS_KEY", spec.s3().secretAccessKey()));
    }
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "200m", "512Mi", "1", "2Gi"))
            .withArgs("-config.file=/etc/tempo/tempo.yaml", "-target=all")
            .withEnv(env)
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(HTTP_PORT)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("grpc")
                    .withContainerPort(GRPC_PORT)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("otlp-grpc")
                    .withContainerPort(OTLP_GRPC_PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/tempo")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("data").withMountPath(DATA).build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
            // The ingester replays its write-ahead log before it joins the ring; the startup probe
            // allows 10 minutes for a full one.
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
            // The single binary keeps its ingester ring in its own memberlist; a second replica
            // would be
            // a second, separate Tempo. Scaling out is the distributed deployment, which Vigil does
            // not render.
            .withReplicas(1)
            .withServiceName("tempo-headless")
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
            // Time for in-flight pushes and the last head block cut; what is not flushed stays in
            // the
            // write-ahead log on the volume and is replayed at the next start.
            .withTerminationGracePeriodSeconds(60L)
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("tempo-config")
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
            .withVolumeClaimTemplates(
                kit.dataClaim(spec.volume().text(), spec.storage().className()))
            .endSpec()
            .build());
    out.add(
        kit.headlessService(
            "tempo-headless",
            ComponentObjects.port("http", HTTP_PORT, "http"),
            ComponentObjects.port("grpc", GRPC_PORT, "grpc")));
    out.add(
        kit.service(
            NAME,
            0,
            ComponentObjects.port("http", HTTP_PORT, "http"),
            ComponentObjects.port("otlp-grpc", OTLP_GRPC_PORT, "otlp-grpc")));
    out.add(kit.pdb(1));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(HTTP_PORT)),
                NetPol.app(ctx.namespace(), "grafana"),
                NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .allowIn(List.of(NetPol.tcp(OTLP_GRPC_PORT)), NetPol.app(ctx.namespace(), COLLECTOR))
            // The distributor pushes to the ingester and the querier to the frontend over gRPC, at
            // the
            // pod's own address as the ring records it.
            .allowIn(List.of(NetPol.tcp(GRPC_PORT)), NetPol.app(ctx.namespace(), NAME))
            .restrictEgress()
            .allowOut(List.of(NetPol.tcp(GRPC_PORT)), NetPol.app(ctx.namespace(), NAME));
    if (generatesMetrics(ctx)) {
      np.allowOut(
          List.of(NetPol.tcp(PrometheusRenderer.PORT)),
          NetPol.app(ctx.namespace(), PrometheusRenderer.NAME));
    }
    if (spec.backend() == TempoSpec.Backend.S3) {
      // The object store can be anywhere (a cloud endpoint, an in-cluster MinIO): its port, any
      // address.
      np.allowOut(
          List.of(NetPol.tcp(spec.s3().port())),
          new NetworkPolicyPeerBuilder()
              .withNewIpBlock()
              .withCidr("0.0.0.0/0")
              .endIpBlock()
              .build(),
          new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("::/0").endIpBlock().build());
    }
    out.add(np.build());
  }

  private static EnvVar secretEnv(String name, SecretRef ref) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(ref.secret().name())
        .withKey(ref.secret().key())
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  /** tempo.yaml. Tempo parses it strictly: every key here is one its version defines (contract). */
  static String config(RenderContext ctx, TempoSpec spec) {
    Map<String, Object> c = new LinkedHashMap<>();
    // Grafana streams search results over HTTP; without this it would need the gRPC port.
    c.put("stream_over_http_enabled", true);
    c.put(
        "server",
        ordered(
            "http_listen_port",
            HTTP_PORT,
            "grpc_listen_port",
            GRPC_PORT,
            "log_level",
            "info",
            "log_format",
            "json"));
    // The receivers listen on localhost unless told otherwise; the collector reaches the pod
    // address.
    c.put(
        "distributor",
        ordered(
            "receivers",
            ordered(
                "otlp",
                ordered(
                    "protocols",
                    ordered("grpc", ordered("endpoint", "0.0.0.0:" + OTLP_GRPC_PORT))))));
    c.put("compactor", ordered("compaction", ordered("block_retention", hours(spec))));
    Map<String, Object> trace = new LinkedHashMap<>();
    trace.put("backend", spec.backend() == TempoSpec.Backend.S3 ? "s3" : "local");
    trace.put("wal", ordered("path", DATA + "/wal"));
    if (spec.backend() == TempoSpec.Backend.S3) {
      TempoSpec.S3 s3 = spec.s3();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bucket", s3.bucket());
      m.put("endpoint", s3.endpoint());
      if (s3.region() != null) {
        m.put("region", s3.region());
      }
      if (s3.prefix() != null) {
        m.put("prefix", s3.prefix());
      }
      m.put("insecure", s3.insecure());
      m.put("forcepathstyle", s3.forcePathStyle());
      trace.put("s3", m);
    } else {
      trace.put("local", ordered("path", DATA + "/blocks"));
    }
    c.put("storage", ordered("trace", trace));
    if (generatesMetrics(ctx)) {
      // One remote-write queue per Prometheus replica (each keeps a full copy); the queues' write-
      // ahead log is on the volume, so samples wait there while Prometheus restarts.
      List<Map<String, Object>> remoteWrite = new ArrayList<>();
      for (String host : PrometheusRenderer.replicaHosts(ctx)) {
        remoteWrite.add(
            ordered("url", "http://" + host + ":" + PrometheusRenderer.PORT + "/api/v1/write"));
      }
      c.put(
          "metrics_generator",
          ordered(
              "storage", ordered("path", DATA + "/generator/wal", "remote_write", remoteWrite)));
    }
    TempoSpec.TempoLimits l = spec.limits();
    Map<String, Object> defaults =
        ordered(
            "ingestion",
                ordered(
                    "rate_limit_bytes", l.ingestionRateMb() * 1_000_000,
                    "burst_size_bytes", l.ingestionBurstMb() * 1_000_000,
                    "max_traces_per_user", l.maxTracesPerUser()),
            "global", ordered("max_bytes_per_trace", l.maxBytesPerTraceMb() * 1_000_000));
    if (generatesMetrics(ctx)) {
      defaults.put(
          "metrics_generator", ordered("processors", List.of("service-graphs", "span-metrics")));
    }
    c.put("overrides", ordered("defaults", defaults));
    c.put("usage_report", ordered("reporting_enabled", false));
    return "# Rendered by vigil from the station spec.\n" + Yaml.write(c);
  }

  /** The retention as Go reads a duration: whole hours, or minutes where the spec has them. */
  static String hours(TempoSpec spec) {
    long minutes = spec.retentionTime().toMinutes();
    return minutes % 60 == 0 ? (minutes / 60) + "h" : minutes + "m";
  }
}
