package dev.vigil.render.promoperator;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.GrafanaRenderer;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.spec.model.Alerting;
import dev.vigil.spec.model.PrometheusOperatorSpec;
import dev.vigil.spec.model.Stack;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.Durations;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * For clusters whose Prometheus, Alertmanager and Grafana come from the Prometheus Operator
 * (kube-prometheus-stack): what Vigil's components bring to those three (their contributions:
 * scrape jobs, rule files, dashboards, datasources, and the spec's alert routing) in the objects
 * the operator and Grafana's sidecars read, instead of Vigil's own Prometheus, Alertmanager and
 * Grafana. Every object carries the release label the operator selects by.
 */
@AutoService(ComponentRenderer.class)
public final class PrometheusOperatorRenderer implements ComponentRenderer {
  public static final String NAME = "prometheus-operator";

  static final Component COMPONENT = Component.named(NAME).tags(Tag.MONITORING).build();

  static final String V1 = "monitoring.coreos.com/v1";
  static final String V1ALPHA1 = "monitoring.coreos.com/v1alpha1";
  static final String POD_PORT_NAME = "__meta_kubernetes_pod_container_port_name";
  static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.stack() == Stack.PROMETHEUS_OPERATOR;
  }

  static String namespace(RenderContext ctx) {
    String ns = ctx.components().prometheusOperator().namespace();
    return ns != null ? ns : ctx.namespace();
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    PrometheusOperatorSpec spec = ctx.components().prometheusOperator();
    // Configuration only, no image: the version label is dropped from every object below.
    ComponentObjects kit =
        new ComponentObjects(ctx, NAME, namespace(ctx), "monitoring-config", NAME);
    List<String> unsupported = new ArrayList<>();
    ctx.contributions()
        .scrapeJobs()
        .values()
        .forEach(
            jobs ->
                jobs.forEach(
                    job -> {
                      GenericKubernetesResource monitor = monitor(kit, spec, job);
                      if (monitor == null) {
                        unsupported.add(String.valueOf(job.get("job_name")));
                      } else {
                        out.add(monitor);
                      }
                    }));
    ctx.contributions()
        .allRuleFiles()
        .forEach((file, text) -> out.add(rule(kit, spec, file, text)));
    for (Dashboard d : ctx.contributions().allDashboards()) {
      ConfigMap cm = kit.configMap("vigil-dashboard-" + d.uid(), Map.of(d.fileName(), d.toJson()));
      cm.getMetadata().getLabels().remove(dev.vigil.render.k8s.Labels.VERSION);
      cm.getMetadata().getLabels().put(spec.dashboardLabel(), "1");
      out.add(cm);
    }
    if (ctx.contributions().datasources().values().stream().anyMatch(l -> !l.isEmpty())) {
      ConfigMap cm =
          kit.configMap(
              "vigil-datasources",
              Map.of("vigil-datasources.yaml", GrafanaRenderer.datasourcesFile(ctx)));
      cm.getMetadata().getLabels().remove(dev.vigil.render.k8s.Labels.VERSION);
      cm.getMetadata().getLabels().put(spec.datasourceLabel(), "1");
      out.add(cm);
    }
    if (!ctx.station().alerting().receivers().isEmpty()) {
      out.add(alertmanagerConfig(kit, spec, ctx.station().alerting()));
    }
    if (!unsupported.isEmpty()) {
      out.note(
          "Scrape jobs with no Prometheus Operator equivalent were left out: "
              + String.join(", ", unsupported)
              + ".");
    }
    if (ctx.isEnabled("tempo") || ctx.isEnabled("otel-collector")) {
      out.note(
          "Span metrics and OTLP metrics are not written to the operator's Prometheus: Vigil does not own"
              + " it. Turn on its receivers (kube-prometheus-stack: prometheus.prometheusSpec.enableRemoteWriteReceiver"
              + " and enableOTLPReceiver) and protect them as docs/decisions/0301-telemetry-pushed-into-prometheus.md describes.");
    }
  }

  private static ObjectMeta meta(ComponentObjects kit, PrometheusOperatorSpec spec, String name) {
    ObjectMeta m = kit.meta(name);
    m.getLabels().remove(dev.vigil.render.k8s.Labels.VERSION);
    // The operator's Prometheus and Alertmanager select by this label (kube-prometheus-stack's
    // *SelectorNilUsesHelmValues: true).
    m.getLabels().put("release", spec.release());
    return m;
  }

  private static GenericKubernetesResource resource(
      String apiVersion, String kind, ObjectMeta meta, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withMetadata(meta)
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  /**
   * The operator object scraping what one Prometheus scrape job scrapes: a PodMonitor for a job
   * over the pods of one app, a ServiceMonitor for the kubelet and API server jobs (which read the
   * service-account token and CA from files, which only ServiceMonitors may), a ScrapeConfig for
   * static targets and endpoint discovery; null for a shape none of them covers.
   */
  @SuppressWarnings("unchecked")
  static GenericKubernetesResource monitor(
      ComponentObjects kit, PrometheusOperatorSpec spec, Map<String, Object> job) {
    String name = String.valueOf(job.get("job_name"));
    List<Map<String, Object>> relabel =
        (List<Map<String, Object>>) job.getOrDefault("relabel_configs", List.of());
    List<Map<String, Object>> sd = (List<Map<String, Object>>) job.get("kubernetes_sd_configs");
    if (sd != null && "pod".equals(sd.get(0).get("role"))) {
      return podMonitor(kit, spec, job, name, sd.get(0), relabel);
    }
    if (sd != null && "node".equals(sd.get(0).get("role"))) {
      return kubeletMonitor(kit, spec, job, name);
    }
    if (name.equals("apiserver")) {
      return apiserverMonitor(kit, spec, job);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    if (job.containsKey("static_configs")) {
      List<Map<String, Object>> statics = new ArrayList<>();
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("targets", sc.get("targets"));
        if (sc.containsKey("labels")) {
          c.put("labels", sc.get("labels"));
        }
        statics.add(c);
      }
      s.put("staticConfigs", statics);
    } else if (sd != null && "endpoints".equals(sd.get(0).get("role")) && sd.get(0).size() == 1) {
      s.put("kubernetesSDConfigs", List.of(ordered("role", "Endpoints")));
    } else {
      return null;
    }
    if (job.containsKey("metrics_path")) {
      s.put("metricsPath", job.get("metrics_path"));
    }
    if (job.containsKey("scheme")) {
      s.put("scheme", String.valueOf(job.get("scheme")).toUpperCase(Locale.ROOT));
    }
    if (job.containsKey("params")) {
      Map<String, Object> params = new LinkedHashMap<>();
      ((Map<String, Object>) job.get("params")).forEach((k, v) -> params.put(k, v));
      s.put("params", params);
    }
    if (Boolean.TRUE.equals(job.get("honor_labels"))) {
      s.put("honorLabels", true);
    }
    List<Map<String, Object>> relabelings = relabelings(relabel);
    // A ScrapeConfig's job label is scrapeConfig/<namespace>/<name>; the rules read the job's own
    // name.
    relabelings.add(ordered("targetLabel", "job", "replacement", name, "action", "replace"));
    s.put("relabelings", relabelings);
    return resource(V1ALPHA1, "ScrapeConfig", meta(kit, spec, name), s);
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource podMonitor(
      ComponentObjects kit,
      PrometheusOperatorSpec spec,
      Map<String, Object> job,
      String name,
      Map<String, Object> sd,
      List<Map<String, Object>> relabel) {
    String port = null;
    List<Map<String, Object>> rest = new ArrayList<>();
    for (Map<String, Object> r : relabel) {
      List<String> sources = (List<String>) r.get("source_labels");
      if (sources != null
          && sources.equals(List.of(POD_PORT_NAME))
          && "keep".equals(r.get("action"))) {
        port = String.valueOf(r.get("regex"));
      } else if (sources != null && sources.equals(List.of("__meta_kubernetes_pod_phase"))) {
        // The operator drops pods that are not running itself.
        continue;
      } else {
        rest.add(r);
      }
    }
    Map<String, Object> selector =
        (Map<String, Object>) ((List<Object>) sd.get("selectors")).get(0);
    String label = String.valueOf(selector.get("label"));
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", port);
    if (Boolean.TRUE.equals(job.get("honor_labels"))) {
      endpoint.put("honorLabels", true);
    }
    endpoint.put("relabelings", relabelings(rest));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(
        "namespaceSelector",
        ordered("matchNames", ((Map<String, Object>) sd.get("namespaces")).get("names")));
    s.put(
        "selector",
        ordered(
            "matchLabels",
            Map.of(
                label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1))));
    s.put("podMetricsEndpoints", List.of(endpoint));
    return resource(V1, "PodMonitor", meta(kit, spec, name), s);
  }

  /**
   * The kubelet and cAdvisor jobs, through the kubelet Service the operator maintains in
   * kube-system (app.kubernetes.io/name: kubelet, port https-metrics). Node names come from the
   * endpoints' node instead of the node role's meta label.
   */
  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource kubeletMonitor(
      ComponentObjects kit, PrometheusOperatorSpec spec, Map<String, Object> job, String name) {
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("caFile", SA_DIR + "/ca.crt");
    Map<String, Object> jobTls = (Map<String, Object>) job.getOrDefault("tls_config", Map.of());
    if (Boolean.TRUE.equals(jobTls.get("insecure_skip_verify"))) {
      tls.put("insecureSkipVerify", true);
    }
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", "https-metrics");
    endpoint.put("scheme", "https");
    endpoint.put("path", job.getOrDefault("metrics_path", "/metrics"));
    endpoint.put("bearerTokenFile", SA_DIR + "/token");
    endpoint.put("tlsConfig", tls);
    endpoint.put(
        "relabelings",
        List.of(
            ordered(
                "sourceLabels",
                List.of("__meta_kubernetes_endpoint_node_name"),
                "targetLabel",
                "node",
                "action",
                "replace"),
            ordered(
                "sourceLabels",
                List.of("__meta_kubernetes_endpoint_node_name"),
                "targetLabel",
                "instance",
                "action",
                "replace"),
            ordered("targetLabel", "job", "replacement", name, "action", "replace")));
    if (job.containsKey("metric_relabel_configs")) {
      endpoint.put(
          "metricRelabelings",
          relabelings((List<Map<String, Object>>) job.get("metric_relabel_configs")));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("namespaceSelector", ordered("matchNames", List.of("kube-system")));
    s.put("selector", ordered("matchLabels", Map.of("app.kubernetes.io/name", "kubelet")));
    s.put("endpoints", List.of(endpoint));
    return resource(V1, "ServiceMonitor", meta(kit, spec, name), s);
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource apiserverMonitor(
      ComponentObjects kit, PrometheusOperatorSpec spec, Map<String, Object> job) {
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", "https");
    endpoint.put("scheme", "https");
    endpoint.put("bearerTokenFile", SA_DIR + "/token");
    endpoint.put("tlsConfig", ordered("caFile", SA_DIR + "/ca.crt", "serverName", "kubernetes"));
    endpoint.put(
        "relabelings",
        List.of(ordered("targetLabel", "job", "replacement", "apiserver", "action", "replace")));
    if (job.containsKey("metric_relabel_configs")) {
      endpoint.put(
          "metricRelabelings",
          relabelings((List<Map<String, Object>>) job.get("metric_relabel_configs")));
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("namespaceSelector", ordered("matchNames", List.of("default")));
    s.put(
        "selector",
        ordered("matchLabels", ordered("component", "apiserver", "provider", "kubernetes")));
    s.put("endpoints", List.of(endpoint));
    return resource(V1, "ServiceMonitor", meta(kit, spec, "apiserver"), s);
  }

  /** prometheus.yml relabel configs in the operator's spelling. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> relabelings(List<Map<String, Object>> configs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> c : configs) {
      Map<String, Object> r = new LinkedHashMap<>();
      c.forEach(
          (k, v) -> {
            String key =
                switch (k) {
                  case "source_labels" -> "sourceLabels";
                  case "target_label" -> "targetLabel";
                  default -> k;
                };
            r.put(key, v);
          });
      r.putIfAbsent("action", "replace");
      out.add(r);
    }
    return out;
  }

  /** One PrometheusRule per rule file: the file's groups, unchanged. */
  static GenericKubernetesResource rule(
      ComponentObjects kit, PrometheusOperatorSpec spec, String file, String text) {
    Map<String, Object> parsed;
    try {
      parsed = Yaml.mapper().readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = "vigil-" + file.substring(0, file.length() - ".rules.yaml".length());
    return resource(
        V1, "PrometheusRule", meta(kit, spec, name), ordered("groups", parsed.get("groups")));
  }

  /**
   * The spec's receivers and routes. The operator scopes an AlertmanagerConfig's routes to alerts
   * whose namespace label is the AlertmanagerConfig's own (unless its Alertmanager sets
   * alertmanagerConfigMatcherStrategy: None); docs/components.md says so.
   */
  static GenericKubernetesResource alertmanagerConfig(
      ComponentObjects kit, PrometheusOperatorSpec spec, Alerting a) {
    List<Map<String, Object>> receivers = new ArrayList<>();
    String fallback = a.defaultReceiver() != null ? a.defaultReceiver() : "null";
    if (a.defaultReceiver() == null) {
      receivers.add(ordered("name", "null"));
    }
    for (Alerting.Receiver r : a.receivers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      if (r.slack() != null) {
        Map<String, Object> c =
            ordered(
                "apiURL", selector(r.slack().apiUrl()), "sendResolved", r.slack().sendResolved());
        if (r.slack().channel() != null) {
          c.put("channel", r.slack().channel());
        }
        m.put("slackConfigs", List.of(c));
      }
      if (r.pagerduty() != null) {
        m.put(
            "pagerdutyConfigs",
            List.of(
                ordered(
                    "routingKey",
                    selector(r.pagerduty().routingKey()),
                    "sendResolved",
                    r.pagerduty().sendResolved())));
      }
      if (r.email() != null) {
        Map<String, Object> c =
            ordered(
                "to",
                r.email().to(),
                "from",
                r.email().from(),
                "smarthost",
                r.email().smarthost(),
                "requireTLS",
                r.email().requireTls(),
                "sendResolved",
                r.email().sendResolved());
        if (r.email().authUsername() != null) {
          c.put("authUsername", r.email().authUsername());
          c.put("authPassword", selector(r.email().authPassword()));
        }
        m.put("emailConfigs", List.of(c));
      }
      if (r.webhook() != null) {
        m.put(
            "webhookConfigs",
            List.of(
                ordered(
                    "urlSecret",
                    selector(r.webhook().url()),
                    "sendResolved",
                    r.webhook().sendResolved())));
      }
      receivers.add(m);
    }
    List<Map<String, Object>> routes = new ArrayList<>();
    for (Alerting.Route r : a.routes()) {
      List<Map<String, Object>> matchers = new ArrayList<>();
      if (r.severity() != null) {
        matchers.add(ordered("name", "severity", "value", r.severity(), "matchType", "="));
      }
      if (r.team() != null) {
        matchers.add(ordered("name", "team", "value", r.team(), "matchType", "="));
      }
      new java.util.TreeMap<>(r.match())
          .forEach((k, v) -> matchers.add(ordered("name", k, "value", v, "matchType", "=")));
      Map<String, Object> route = ordered("receiver", r.receiver(), "matchers", matchers);
      if (r.continueMatching()) {
        route.put("continue", true);
      }
      routes.add(route);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("receiver", fallback);
    if (!a.groupBy().isEmpty()) {
      root.put("groupBy", a.groupBy());
    }
    root.put("groupWait", Durations.format(a.groupWait()));
    root.put("groupInterval", Durations.format(a.groupInterval()));
    root.put("repeatInterval", Durations.format(a.repeatInterval()));
    root.put("routes", routes);
    return resource(
        V1ALPHA1,
        "AlertmanagerConfig",
        meta(kit, spec, "vigil"),
        ordered("route", root, "receivers", receivers));
  }

  private static Map<String, Object> selector(SecretRef ref) {
    return ordered("name", ref.secret().name(), "key", ref.secret().key());
  }
}
