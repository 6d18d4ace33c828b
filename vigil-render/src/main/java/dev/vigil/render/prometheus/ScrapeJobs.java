package dev.vigil.render.prometheus;

import dev.vigil.spec.model.WatchSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for prometheus.yml scrape configs, as ordered maps so output order is stable. */
public final class ScrapeJobs {
  static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private ScrapeJobs() {}

  /** How a pod scrape job treats its targets' labels. */
  public enum PodScrape {
    /**
     * Per-node agents: {@code instance} is set to the node name, so series and alerts name the node
     * rather than a pod IP.
     */
    PER_NODE,
    /** Exporters that report other objects' labels (namespace, pod): theirs win over the target's. */
    HONOR_LABELS
  }

  /**
   * A job scraping the pods of one app (by app.kubernetes.io/name) on a named container port.
   */
  public static Map<String, Object> pods(
      String job, String namespace, String appName, String portName, PodScrape... options) {
    boolean perNode = List.of(options).contains(PodScrape.PER_NODE);
    boolean honorLabels = List.of(options).contains(PodScrape.HONOR_LABELS);
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", "pod");
    sd.put("namespaces", Map.of("names", List.of(namespace)));
    sd.put("selectors", List.of(ordered("role", "pod", "label", "app.kubernetes.io/name=" + appName)));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    if (honorLabels) {
      j.put("honor_labels", true);
    }
    j.put("kubernetes_sd_configs", List.of(sd));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_pod_container_port_name"),
        "regex", portName, "action", "keep"));
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_pod_phase"),
        "regex", "Pending|Succeeded|Failed|Unknown", "action", "drop"));
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    if (perNode) {
      relabel.add(ordered("source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "instance"));
    }
    relabel.add(ordered("target_label", "job", "replacement", job));
    j.put("relabel_configs", relabel);
    return j;
  }

  /** A job against the kubelet of every node (kubelet metrics, or cAdvisor with its path). */
  public static Map<String, Object> kubelet(String job, String path, boolean verifyTls) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    j.put("scheme", "https");
    j.put("metrics_path", path);
    j.put("authorization", Map.of("credentials_file", SA_DIR + "/token"));
    j.put("tls_config", tls(verifyTls));
    j.put("kubernetes_sd_configs", List.of(Map.of("role", "node")));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "node"));
    relabel.add(ordered("source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "instance"));
    j.put("relabel_configs", relabel);
    j.put("metric_relabel_configs", List.of(ordered(
        "source_labels", List.of("__name__"),
        // Per-request histograms of the kubelet that no rule or dashboard uses; they dominate
        // series counts on small clusters.
        "regex", "kubelet_runtime_operations_duration_seconds_bucket|rest_client_request_duration_seconds_bucket|storage_operation_duration_seconds_bucket",
        "action", "drop")));
    return j;
  }

  /** The Kubernetes API server, through the default/kubernetes endpoints. */
  public static Map<String, Object> apiserver() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "apiserver");
    j.put("scheme", "https");
    j.put("authorization", Map.of("credentials_file", SA_DIR + "/token"));
    j.put("tls_config", tls(true));
    j.put("kubernetes_sd_configs", List.of(ordered("role", "endpoints", "namespaces", Map.of("names", List.of("default")))));
    j.put("relabel_configs", List.of(ordered(
        "source_labels", List.of("__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"),
        "regex", "kubernetes;https",
        "action", "keep")));
    j.put("metric_relabel_configs", List.of(ordered(
        "source_labels", List.of("__name__"),
        "regex", "apiserver_request_duration_seconds_bucket|apiserver_request_sli_duration_seconds_bucket|etcd_request_duration_seconds_bucket|apiserver_watch_events_sizes_bucket",
        "action", "drop")));
    return j;
  }

  /**
   * Services that opt in with the prometheus.io/scrape annotation (and prometheus.io/port,
   * prometheus.io/path, prometheus.io/scheme), the convention most charts follow.
   */
  public static Map<String, Object> annotatedEndpoints() {
    return annotatedEndpoints(List.of());
  }

  /**
   * Annotated Services in the watched namespaces only, with each namespace's labels; in every
   * namespace when none is watched.
   */
  public static Map<String, Object> annotatedEndpoints(List<WatchSpec.Namespace> watched) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "kubernetes-service-endpoints");
    j.put("kubernetes_sd_configs", List.of(sd("endpoints", watched)));
    List<Map<String, Object>> r = new ArrayList<>();
    r.add(ordered("source_labels", List.of("__meta_kubernetes_service_annotation_prometheus_io_scrape"),
        "regex", "true", "action", "keep"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_service_annotation_prometheus_io_scheme"),
        "regex", "(https?)", "target_label", "__scheme__"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_service_annotation_prometheus_io_path"),
        "regex", "(.+)", "target_label", "__metrics_path__"));
    r.add(ordered("source_labels", List.of("__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"),
        "regex", "(.+?)(?::\\d+)?;(\\d+)", "replacement", "$1:$2", "target_label", "__address__"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "service"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    r.addAll(namespaceLabels(watched));
    j.put("relabel_configs", r);
    return j;
  }

  /**
   * Pods of the watched namespaces that opt in with the prometheus.io/scrape annotation (and
   * prometheus.io/port, prometheus.io/path, prometheus.io/scheme), for applications without a
   * Service or whose every pod must be seen.
   */
  public static Map<String, Object> annotatedPods(List<WatchSpec.Namespace> watched) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "kubernetes-pods");
    j.put("kubernetes_sd_configs", List.of(sd("pod", watched)));
    List<Map<String, Object>> r = new ArrayList<>();
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"),
        "regex", "true", "action", "keep"));
    // A finished or not yet started pod has nothing to scrape; its target would only be down.
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_phase"),
        "regex", "Pending|Succeeded|Failed|Unknown", "action", "drop"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_scheme"),
        "regex", "(https?)", "target_label", "__scheme__"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"),
        "regex", "(.+)", "target_label", "__metrics_path__"));
    r.add(ordered("source_labels", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
        "regex", "(.+?)(?::\\d+)?;(\\d+)", "replacement", "$1:$2", "target_label", "__address__"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    r.addAll(namespaceLabels(watched));
    j.put("relabel_configs", r);
    return j;
  }

  private static Map<String, Object> sd(String role, List<WatchSpec.Namespace> watched) {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", role);
    if (!watched.isEmpty()) {
      sd.put("namespaces", Map.of("names", watched.stream().map(WatchSpec.Namespace::name).toList()));
    }
    return sd;
  }

  /** One rule per label of a watched namespace: set on the targets of that namespace only. */
  static List<Map<String, Object>> namespaceLabels(List<WatchSpec.Namespace> watched) {
    List<Map<String, Object>> r = new ArrayList<>();
    for (WatchSpec.Namespace n : watched) {
      new java.util.TreeMap<>(n.labels()).forEach((label, value) -> r.add(ordered(
          "source_labels", List.of("__meta_kubernetes_namespace"), "regex", n.name(),
          "target_label", label, "replacement", value.replace("$", "$$"))));
    }
    return r;
  }

  static Map<String, Object> tls(boolean verify) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("ca_file", SA_DIR + "/ca.crt");
    if (!verify) {
      // kubeadm's kubelet serving certificates are self-signed unless serverTLSBootstrap is on.
      t.put("insecure_skip_verify", true);
    }
    return t;
  }

  /** An ordered map from alternating keys and values. */
  public static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
