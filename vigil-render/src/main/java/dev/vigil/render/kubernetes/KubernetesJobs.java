package dev.vigil.render.kubernetes;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import dev.vigil.spec.model.KubernetesSpec.KubeletTls;
import dev.vigil.spec.model.WatchSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scrape configs of the cluster's own programs, as ordered maps so output order is stable. */
final class KubernetesJobs {
  static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private KubernetesJobs() {}

  /**
   * The API server, through the default/kubernetes endpoints. Of the request latency histograms
   * only the buckets the latency SLO and the API server dashboard read are kept: the STABLE
   * apiserver_request_duration_seconds (23 buckets, webhook and queueing time included) is dropped,
   * and apiserver_request_sli_duration_seconds keeps le 0.1, 0.4, 1, 5, 30 and +Inf of its 22. The
   * SLO needs 1 (resource-scoped reads and every write), 5 (namespace-scoped reads) and 30
   * (cluster-scoped reads); 0.1 and 0.4 give the dashboard's quantiles a resolution below the
   * target. Per API server that keeps about a quarter of the histogram's series, which on a small
   * cluster are the largest family Prometheus stores. Prometheus 3 writes le as a float ("1.0"),
   * Prometheus 2 as exposed ("1"), so the regex takes both.
   */
  static Map<String, Object> apiserver() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "apiserver");
    j.put("scheme", "https");
    j.put("authorization", Map.of("credentials_file", SA_DIR + "/token"));
    j.put("tls_config", Map.of("ca_file", SA_DIR + "/ca.crt"));
    j.put(
        "kubernetes_sd_configs",
        List.of(ordered("role", "endpoints", "namespaces", Map.of("names", List.of("default")))));
    j.put(
        "relabel_configs",
        List.of(
            ordered(
                "source_labels",
                    List.of(
                        "__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"),
                "regex", "kubernetes;https",
                "action", "keep")));
    j.put(
        "metric_relabel_configs",
        List.of(
            ordered(
                "source_labels", List.of("__name__"),
                "regex",
                    "apiserver_request_duration_seconds_bucket|etcd_request_duration_seconds_bucket|apiserver_watch_events_sizes_bucket",
                "action", "drop"),
            ordered(
                "source_labels", List.of("__name__", "le"),
                "regex",
                    "apiserver_request_sli_duration_seconds_bucket;(0\\.05|0\\.2|0\\.6|0\\.8|1\\.25|1\\.5|2|3|4|6|8|10|15|20|45|60)(\\.0)?",
                "action", "drop")));
    return j;
  }

  /**
   * A job against the kubelet of every node: its own metrics, or cAdvisor's with its path. Always
   * HTTPS with the ServiceAccount token; the certificate is checked against the cluster CA only
   * when the spec says the kubelets have CA-signed serving certificates.
   */
  static Map<String, Object> kubelet(String job, String path, KubeletTls tls) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    j.put("scheme", "https");
    j.put("metrics_path", path);
    j.put("authorization", Map.of("credentials_file", SA_DIR + "/token"));
    j.put(
        "tls_config",
        tls == KubeletTls.VERIFY
            ? Map.of("ca_file", SA_DIR + "/ca.crt")
            // kubeadm's kubelet serving certificates are self-signed unless serverTLSBootstrap is
            // on.
            : Map.of("insecure_skip_verify", true));
    boolean cadvisor = path.endsWith("/cadvisor");
    if (cadvisor) {
      // cAdvisor stamps its samples; with those timestamps Prometheus cannot mark the series of
      // a deleted container stale, and it lingers in every sum for five minutes.
      j.put("honor_timestamps", false);
    }
    j.put("kubernetes_sd_configs", List.of(Map.of("role", "node")));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(
        ordered("source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "node"));
    relabel.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "instance"));
    j.put("relabel_configs", relabel);
    j.put(
        "metric_relabel_configs",
        List.of(
            ordered(
                "source_labels",
                List.of("__name__"),
                "regex",
                cadvisor
                    // Per-cgroup families no rule or dashboard reads, among the largest cAdvisor
                    // exposes.
                    ? "container_tasks_state|container_memory_failures_total|container_cpu_load_average_10s|container_cpu_load_d_average_10s|container_blkio_device_usage_total|container_threads_max|container_ulimits_soft"
                    // Per-request histograms of the kubelet that no rule or dashboard uses; they
                    // dominate
                    // series counts on small clusters.
                    : "kubelet_runtime_operations_duration_seconds_bucket|rest_client_request_duration_seconds_bucket|storage_operation_duration_seconds_bucket",
                "action",
                "drop")));
    return j;
  }

  /**
   * Services that opt in with the prometheus.io/scrape annotation (and prometheus.io/port,
   * prometheus.io/path, prometheus.io/scheme), the convention most charts follow. {@code skip}
   * lists namespace/service pairs a dedicated job scrapes already.
   */
  static Map<String, Object> annotatedEndpoints(
      List<String> skip, List<WatchSpec.Namespace> watched) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "kubernetes-service-endpoints");
    j.put("kubernetes_sd_configs", List.of(sd("endpoints", watched)));
    List<Map<String, Object>> r = new ArrayList<>();
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_service_annotation_prometheus_io_scrape"),
            "regex",
            "true",
            "action",
            "keep"));
    if (!skip.isEmpty()) {
      r.add(
          ordered(
              "source_labels",
              List.of("__meta_kubernetes_namespace", "__meta_kubernetes_service_name"),
              "regex",
              String.join("|", skip.stream().map(s -> s.replace('/', ';')).toList()),
              "action",
              "drop"));
    }
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_service_annotation_prometheus_io_scheme"),
            "regex",
            "(https?)",
            "target_label",
            "__scheme__"));
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_service_annotation_prometheus_io_path"),
            "regex",
            "(.+)",
            "target_label",
            "__metrics_path__"));
    r.add(
        ordered(
            "source_labels",
            List.of("__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"),
            "regex",
            "(.+?)(?::\\d+)?;(\\d+)",
            "replacement",
            "$1:$2",
            "target_label",
            "__address__"));
    r.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    r.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_service_name"), "target_label", "service"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    r.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    r.addAll(namespaceLabels(watched));
    j.put("relabel_configs", r);
    return j;
  }

  /**
   * Pods of the watched namespaces that opt in with the prometheus.io/scrape annotation (and
   * prometheus.io/port, prometheus.io/path, prometheus.io/scheme), for applications without a
   * Service or whose every pod must be seen.
   */
  static Map<String, Object> annotatedPods(List<WatchSpec.Namespace> watched) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "kubernetes-pods");
    j.put("kubernetes_sd_configs", List.of(sd("pod", watched)));
    List<Map<String, Object>> r = new ArrayList<>();
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"),
            "regex",
            "true",
            "action",
            "keep"));
    // A finished or not yet started pod has nothing to scrape; its target would only be down.
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_phase"),
            "regex",
            "Pending|Succeeded|Failed|Unknown",
            "action",
            "drop"));
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_annotation_prometheus_io_scheme"),
            "regex",
            "(https?)",
            "target_label",
            "__scheme__"));
    r.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"),
            "regex",
            "(.+)",
            "target_label",
            "__metrics_path__"));
    r.add(
        ordered(
            "source_labels",
            List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
            "regex",
            "(.+?)(?::\\d+)?;(\\d+)",
            "replacement",
            "$1:$2",
            "target_label",
            "__address__"));
    r.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    r.add(ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    r.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    r.addAll(namespaceLabels(watched));
    j.put("relabel_configs", r);
    return j;
  }

  /** Service discovery of a role, limited to the watched namespaces when the spec names any. */
  private static Map<String, Object> sd(String role, List<WatchSpec.Namespace> watched) {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", role);
    if (!watched.isEmpty()) {
      sd.put(
          "namespaces", Map.of("names", watched.stream().map(WatchSpec.Namespace::name).toList()));
    }
    return sd;
  }

  /** One rule per label of a watched namespace: set on the targets of that namespace only. */
  static List<Map<String, Object>> namespaceLabels(List<WatchSpec.Namespace> watched) {
    List<Map<String, Object>> r = new ArrayList<>();
    for (WatchSpec.Namespace n : watched) {
      new java.util.TreeMap<>(n.labels())
          .forEach(
              (label, value) ->
                  r.add(
                      ordered(
                          "source_labels",
                          List.of("__meta_kubernetes_namespace"),
                          "regex",
                          n.name(),
                          "target_label",
                          label,
                          "replacement",
                          value.replace("$", "$$"))));
    }
    return r;
  }

  /**
   * A control-plane component on every control-plane node, at the node's address: kube-scheduler,
   * kube-controller-manager and etcd listen on the host network of those nodes under kubeadm, k3s
   * and RKE2 alike (static pods or the k3s/RKE2 server process), so the nodes are the one discovery
   * that fits all three. The scheduler and controller manager serve HTTPS with a certificate they
   * generate at start (nothing to verify it against) and authorise /metrics through the API server,
   * which lets the ServiceAccount token in; etcd's metrics listener is plain HTTP.
   */
  static Map<String, Object> controlPlane(String job, int port, boolean https) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    if (https) {
      j.put("scheme", "https");
      j.put("authorization", Map.of("credentials_file", SA_DIR + "/token"));
      j.put("tls_config", Map.of("insecure_skip_verify", true));
    }
    j.put("kubernetes_sd_configs", List.of(Map.of("role", "node")));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane"),
            "regex",
            "true",
            "action",
            "keep"));
    // The node's address with the component's port instead of the kubelet's.
    relabel.add(
        ordered(
            "source_labels",
            List.of("__address__"),
            "regex",
            "(.+):\\d+",
            "replacement",
            "$1:" + port,
            "target_label",
            "__address__"));
    relabel.add(
        ordered("source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "node"));
    relabel.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_node_name"), "target_label", "instance"));
    j.put("relabel_configs", relabel);
    return j;
  }

  /**
   * CoreDNS pods (k8s-app=kube-dns in kube-system, as kubeadm, k3s and RKE2 label them), port 9153.
   */
  static Map<String, Object> coredns() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", "pod");
    sd.put("namespaces", Map.of("names", List.of("kube-system")));
    sd.put("selectors", List.of(ordered("role", "pod", "label", "k8s-app=kube-dns")));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "coredns");
    j.put("kubernetes_sd_configs", List.of(sd));
    List<Map<String, Object>> relabel = new ArrayList<>();
    // By number: the port is called "metrics" by kubeadm and the k3s and RKE2 charts, but a
    // name is one more thing to differ.
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_container_port_number"),
            "regex",
            "9153",
            "action",
            "keep"));
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_phase"),
            "regex",
            "Pending|Succeeded|Failed|Unknown",
            "action",
            "drop"));
    relabel.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_namespace"), "target_label", "namespace"));
    relabel.add(
        ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    relabel.add(
        ordered(
            "source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    j.put("relabel_configs", relabel);
    return j;
  }

  /**
   * cert-manager's controller: the pods of namespace cert-manager labelled
   * app.kubernetes.io/name=cert-manager (its chart and static manifests; the cainjector, which
   * listens on 9402 too, and the webhook carry other names), port 9402. Its certificate series
   * carry the Certificate's own namespace, so its labels win (honor_labels) and the target adds
   * only the pod; the rules aggregate the pod away, so a restarted controller keeps their for:.
   */
  static Map<String, Object> certManager(String namespace) {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", "pod");
    sd.put("namespaces", Map.of("names", List.of(namespace)));
    sd.put(
        "selectors",
        List.of(ordered("role", "pod", "label", "app.kubernetes.io/name=cert-manager")));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", "cert-manager");
    j.put("honor_labels", true);
    j.put("kubernetes_sd_configs", List.of(sd));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_container_port_number"),
            "regex",
            "9402",
            "action",
            "keep"));
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_phase"),
            "regex",
            "Pending|Succeeded|Failed|Unknown",
            "action",
            "drop"));
    relabel.add(
        ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
    j.put("relabel_configs", relabel);
    return j;
  }
}
