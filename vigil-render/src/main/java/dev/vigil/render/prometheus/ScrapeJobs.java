package dev.vigil.render.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for prometheus.yml scrape configs, as ordered maps so output order is stable. */
public final class ScrapeJobs {
  private ScrapeJobs() {}

  /** How a pod scrape job treats its targets' labels. */
  public enum PodScrape {
    /**
     * Per-node agents: {@code instance} is set to the node name, so series and alerts name the node
     * rather than a pod IP.
     */
    PER_NODE,
    /**
     * Exporters whose series describe other objects (kube-state-metrics): their labels win, and the
     * target adds none of its own (namespace, pod, node), so a series without such a label does not
     * inherit the exporter pod's, and {@code instance} is the job name, not the pod's address: a
     * restarted exporter keeps every series' identity and every {@code for:} running.
     */
    HONOR_LABELS
  }

  /** A job scraping the pods of one app (by app.kubernetes.io/name) on a named container port. */
  public static Map<String, Object> pods(
      String job, String namespace, String appName, String portName, PodScrape... options) {
    boolean perNode = List.of(options).contains(PodScrape.PER_NODE);
    boolean honorLabels = List.of(options).contains(PodScrape.HONOR_LABELS);
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("role", "pod");
    sd.put("namespaces", Map.of("names", List.of(namespace)));
    sd.put(
        "selectors", List.of(ordered("role", "pod", "label", "app.kubernetes.io/name=" + appName)));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    if (honorLabels) {
      j.put("honor_labels", true);
    }
    j.put("kubernetes_sd_configs", List.of(sd));
    List<Map<String, Object>> relabel = new ArrayList<>();
    relabel.add(
        ordered(
            "source_labels",
            List.of("__meta_kubernetes_pod_container_port_name"),
            "regex",
            portName,
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
    if (honorLabels) {
      relabel.add(ordered("target_label", "instance", "replacement", job));
    } else {
      relabel.add(
          ordered(
              "source_labels",
              List.of("__meta_kubernetes_namespace"),
              "target_label",
              "namespace"));
      relabel.add(
          ordered("source_labels", List.of("__meta_kubernetes_pod_name"), "target_label", "pod"));
      relabel.add(
          ordered(
              "source_labels", List.of("__meta_kubernetes_pod_node_name"), "target_label", "node"));
    }
    if (perNode) {
      relabel.add(
          ordered(
              "source_labels",
              List.of("__meta_kubernetes_pod_node_name"),
              "target_label",
              "instance"));
    }
    relabel.add(ordered("target_label", "job", "replacement", job));
    j.put("relabel_configs", relabel);
    return j;
  }

  /**
   * A job for an exporter that fetches other targets on request (the blackbox and SNMP exporters):
   * each static target is passed to the exporter as the {@code target} parameter and becomes the
   * series' {@code instance}, while Prometheus connects to the exporter itself.
   *
   * @param groups static_configs entries: targets, and labels (a {@code __param_<name>} label
   *     becomes a request parameter)
   * @param exporter the exporter's host:port
   */
  public static Map<String, Object> throughExporter(
      String job, String metricsPath, List<Map<String, Object>> groups, String exporter) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    j.put("metrics_path", metricsPath);
    j.put("static_configs", groups);
    j.put(
        "relabel_configs",
        List.of(
            ordered("source_labels", List.of("__address__"), "target_label", "__param_target"),
            ordered("source_labels", List.of("__param_target"), "target_label", "instance"),
            ordered("target_label", "__address__", "replacement", exporter)));
    return j;
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
