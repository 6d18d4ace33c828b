package dev.vigil.render.otelcollector;

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
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.render.tempo.TempoRenderer;
import dev.vigil.spec.model.OtelCollectorSpec;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenTelemetry Collector (contrib distribution) as the applications' one OTLP endpoint: it
 * limits its memory, batches, and forwards traces to Tempo, logs to Loki's OTLP endpoint and
 * metrics to Prometheus's OTLP receiver, each only when that component is part of the stack. With
 * the OpenTelemetry Operator installed, it also renders Instrumentation resources that point Java
 * and Python auto-instrumentation at it.
 */
@AutoService(ComponentRenderer.class)
public final class OtelCollectorRenderer implements ComponentRenderer {
  public static final String NAME = "otel-collector";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("otel-collector", "docker.io/otel/opentelemetry-collector-contrib:0.159.0")
          .tags(Tag.TRACING)
          .scrapeJobs(NAME)
          .ruleFiles("otel-collector.rules.yaml")
          .dashboards(new OtelCollectorHealth())
          .build();

  public static final int OTLP_GRPC = 4317;
  public static final int OTLP_HTTP = 4318;
  public static final int METRICS = 8888;

  /** The API group and version of the OpenTelemetry Operator's Instrumentation resource. */
  static final String INSTRUMENTATION_API = "opentelemetry.io/v1alpha1";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().otelCollector().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(ScrapeJobs.pods(NAME, ctx.namespace(), NAME, "metrics"));
  }

  /** The OTLP/HTTP endpoint applications send to (Java and Python agents speak http/protobuf). */
  public static String otlpHttpEndpoint(RenderContext ctx) {
    return "http://" + ctx.serviceHost(NAME) + ":" + OTLP_HTTP;
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    OtelCollectorSpec spec = ctx.components().otelCollector();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "telemetry", ctx.image(COMPONENT, NAME, null));
    int replicas = ctx.station().replicasFor(spec.replicas());
    out.add(kit.serviceAccount(false));
    out.add(kit.configMap("otel-collector-config", Map.of("config.yaml", config(ctx))));
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "100m", "256Mi", "1", "1Gi"))
            .withArgs("--config=/etc/otelcol-contrib/config.yaml")
            .withPorts(
                new ContainerPortBuilder()
                    .withName("otlp-grpc")
                    .withContainerPort(OTLP_GRPC)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("otlp-http")
                    .withContainerPort(OTLP_HTTP)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("metrics")
                    .withContainerPort(METRICS)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/otelcol-contrib")
                    .withReadOnly(true)
                    .build())
            // The receivers listen once every pipeline has started; the telemetry endpoint answers
            // as
            // long as the process lives. (The health-check extension would be one more component to
            // configure and pin for the same two facts.)
            .withReadinessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("otlp-grpc"))
                    .endTcpSocket()
                    .withPeriodSeconds(10)
                    .withTimeoutSeconds(5)
                    .withFailureThreshold(3)
                    .build())
            .withLivenessProbe(ComponentObjects.httpProbe("/metrics", "metrics", 10, 15, 4))
            .build();
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
            .withSecurityContext(ComponentObjects.podSecurity(10001, 10001))
            // Time to drain the batches and sending queues (held in memory) on shutdown.
            .withTerminationGracePeriodSeconds(30L)
            .withAffinity(Scheduling.spreadByHost(kit))
            .withContainers(container)
            .withVolumes(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("otel-collector-config")
                    .endConfigMap()
                    .build())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        kit.service(
            NAME,
            0,
            ComponentObjects.port("otlp-grpc", OTLP_GRPC, "otlp-grpc"),
            ComponentObjects.port("otlp-http", OTLP_HTTP, "otlp-http")));
    out.add(kit.pdb(replicas));
    List<NetworkPolicyPeer> senders = new ArrayList<>();
    senders.add(NetPol.namespace(ctx.namespace()));
    spec.namespaces().forEach(ns -> senders.add(NetPol.namespace(ns)));
    NetPol np =
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(OTLP_GRPC), NetPol.tcp(OTLP_HTTP)),
                senders.toArray(NetworkPolicyPeer[]::new))
            .allowIn(
                List.of(NetPol.tcp(METRICS)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .restrictEgress();
    if (ctx.isEnabled(TempoRenderer.NAME)) {
      np.allowOut(
          List.of(NetPol.tcp(TempoRenderer.OTLP_GRPC_PORT)),
          NetPol.app(ctx.namespace(), TempoRenderer.NAME));
    }
    if (ctx.isEnabled(LokiRenderer.NAME)) {
      np.allowOut(
          List.of(NetPol.tcp(LokiRenderer.PORT)), NetPol.app(ctx.namespace(), LokiRenderer.NAME));
    }
    if (ctx.isEnabled(PrometheusRenderer.NAME)) {
      np.allowOut(
          List.of(NetPol.tcp(PrometheusRenderer.PORT)),
          NetPol.app(ctx.namespace(), PrometheusRenderer.NAME));
    }
    out.add(np.build());
    if (spec.instrumentation().enabled()) {
      for (String ns : spec.namespaces()) {
        out.add(instrumentation(kit, ns, spec.instrumentation()));
      }
    }
  }

  /**
   * The Operator's Instrumentation resource for one namespace. The agent images are left to the
   * operator: each operator release injects the agent versions it was tested with, and a workload
   * opts in with an annotation, so Vigil runs none of these images itself.
   */
  static GenericKubernetesResource instrumentation(
      ComponentObjects kit, String namespace, OtelCollectorSpec.Instrumentation spec) {
    RenderContext ctx = kit.ctx();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("exporter", ordered("endpoint", otlpHttpEndpoint(ctx)));
    s.put("propagators", List.of("tracecontext", "baggage"));
    s.put(
        "sampler",
        ordered("type", "parentbased_traceidratio", "argument", ratio(spec.samplingRatio())));
    // Both agents export http/protobuf (the Python one always, the operator sets it; the Java agent
    // by default since 2.0), hence the collector's OTLP/HTTP port above. Injection is per pod: the
    // annotation instrumentation.opentelemetry.io/inject-java or inject-python picks the language.
    var meta = kit.meta("vigil");
    meta.setNamespace(namespace);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(INSTRUMENTATION_API)
        .withKind("Instrumentation")
        .withMetadata(meta)
        .withAdditionalProperties(Map.of("spec", s))
        .build();
  }

  static String ratio(double r) {
    String s = String.format(Locale.ROOT, "%.4f", r).replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }

  /**
   * config.yaml. The collector refuses unknown keys; every key is in the contract, read from the
   * pinned version's config structs.
   */
  static String config(RenderContext ctx) {
    Map<String, Object> c = new LinkedHashMap<>();
    // The receivers listen on localhost unless told otherwise.
    c.put(
        "receivers",
        ordered(
            "otlp",
            ordered(
                "protocols",
                ordered(
                    "grpc", ordered("endpoint", "0.0.0.0:" + OTLP_GRPC),
                    "http", ordered("endpoint", "0.0.0.0:" + OTLP_HTTP)))));
    c.put(
        "processors",
        ordered(
            // Refuses data (receivers answer with a retryable error) before the container's memory
            // limit is reached, instead of being OOM-killed and losing everything it holds.
            "memory_limiter",
                ordered(
                    "check_interval", "1s", "limit_percentage", 80, "spike_limit_percentage", 25),
            "batch", ordered("send_batch_size", 8192, "timeout", "1s")));
    Map<String, Object> exporters = new LinkedHashMap<>();
    Map<String, Object> pipelines = new LinkedHashMap<>();
    List<String> processors = List.of("memory_limiter", "batch");
    if (ctx.isEnabled(TempoRenderer.NAME)) {
      // In-cluster, plaintext: the NetworkPolicies admit only this collector to Tempo's OTLP port.
      exporters.put(
          "otlp_grpc/tempo",
          ordered("endpoint", TempoRenderer.otlpEndpoint(ctx), "tls", ordered("insecure", true)));
      pipelines.put("traces", pipeline(processors, "otlp_grpc/tempo"));
    }
    if (ctx.isEnabled(LokiRenderer.NAME)) {
      Map<String, Object> loki = new LinkedHashMap<>();
      // The exporter appends /v1/logs: Loki's OTLP endpoint is /otlp/v1/logs.
      loki.put(
          "endpoint",
          "http://" + ctx.serviceHost(LokiRenderer.NAME) + ":" + LokiRenderer.PORT + "/otlp");
      LokiRenderer.tenant(ctx).ifPresent(t -> loki.put("headers", ordered("X-Scope-OrgID", t)));
      exporters.put("otlp_http/loki", loki);
      pipelines.put("logs", pipeline(processors, "otlp_http/loki"));
    }
    if (ctx.isEnabled(PrometheusRenderer.NAME)) {
      // One exporter per Prometheus replica: each keeps its own copy of every series, as each
      // scrapes every target. The exporter appends /v1/metrics to Prometheus's /api/v1/otlp.
      List<String> names = new ArrayList<>();
      for (String host : PrometheusRenderer.replicaHosts(ctx)) {
        String name = "otlp_http/" + host.substring(0, host.indexOf('.'));
        exporters.put(
            name,
            ordered("endpoint", "http://" + host + ":" + PrometheusRenderer.PORT + "/api/v1/otlp"));
        names.add(name);
      }
      pipelines.put("metrics", pipeline(processors, names.toArray(String[]::new)));
    }
    c.put("exporters", exporters);
    Map<String, Object> telemetry = new LinkedHashMap<>();
    telemetry.put("logs", ordered("level", "info", "encoding", "json"));
    // The default reader binds localhost:8888, out of Prometheus's reach; this one binds the pod's
    // addresses with the default's naming options, so the families keep the names the collector
    // documents (no _total or unit suffixes).
    telemetry.put(
        "metrics",
        ordered(
            "level",
            "normal",
            "readers",
            List.of(
                ordered(
                    "pull",
                    ordered(
                        "exporter",
                        ordered(
                            "prometheus",
                            ordered(
                                "host",
                                "0.0.0.0",
                                "port",
                                METRICS,
                                "without_scope_info",
                                true,
                                "without_type_suffix",
                                true,
                                "without_units",
                                true)))))));
    c.put("service", ordered("pipelines", pipelines, "telemetry", telemetry));
    return "# Rendered by vigil from the station spec.\n" + Yaml.write(c);
  }

  private static Map<String, Object> pipeline(List<String> processors, String... exporters) {
    return ordered(
        "receivers", List.of("otlp"), "processors", processors, "exporters", List.of(exporters));
  }
}
