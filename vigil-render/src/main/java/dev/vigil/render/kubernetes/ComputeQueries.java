package dev.vigil.render.kubernetes;

/**
 * The recorded series and selectors the compute and networking dashboards share. Usage comes from
 * the kubernetes component's cAdvisor recordings, requests and limits from kube-state-metrics', and
 * the pod-to-workload map from the kube-state-metrics rules; every heavy sum reads a recording.
 */
final class ComputeQueries {
  static final String KSM = "job=\"kube-state-metrics\"";
  static final String CPU_USAGE =
      "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m";
  static final String MEMORY_USAGE =
      "node_namespace_pod_container:container_memory_working_set_bytes:max";
  static final String CPU_REQUESTS = "namespace_cpu:kube_pod_container_resource_requests:sum";
  static final String CPU_LIMITS = "namespace_cpu:kube_pod_container_resource_limits:sum";
  static final String MEMORY_REQUESTS = "namespace_memory:kube_pod_container_resource_requests:sum";
  static final String MEMORY_LIMITS = "namespace_memory:kube_pod_container_resource_limits:sum";
  static final String WORKLOAD = "namespace_workload_pod:kube_pod_owner:relabel";
  static final String RECEIVE = "namespace_pod:container_network_receive_bytes_total:sum_rate5m";
  static final String TRANSMIT = "namespace_pod:container_network_transmit_bytes_total:sum_rate5m";
  static final String RECEIVE_DROPS =
      "namespace_pod:container_network_receive_packets_dropped_total:sum_rate5m";
  static final String TRANSMIT_DROPS =
      "namespace_pod:container_network_transmit_packets_dropped_total:sum_rate5m";

  /** The namespace variable's query: every namespace kube-state-metrics knows. */
  static final String NAMESPACES =
      "label_values(kube_namespace_status_phase{" + KSM + "}, namespace)";

  private ComputeQueries() {}

  /** Allocatable capacity of all nodes for a resource ("cpu", "memory"). */
  static String allocatable(String resource) {
    return "sum(kube_node_status_allocatable{" + KSM + ",resource=\"" + resource + "\"})";
  }

  /**
   * Requests or limits of the pods that hold resources (Pending or Running), per container, for a
   * selector on the container series (e.g. namespace=~"$namespace").
   */
  static String perContainer(String family, String resource, String selector) {
    return family
        + "{"
        + KSM
        + ",resource=\""
        + resource
        + "\","
        + selector
        + "}"
        + " * on (namespace, pod) group_left () max by (namespace, pod)"
        + " (kube_pod_status_phase{"
        + KSM
        + ",phase=~\"Pending|Running\"} == 1)";
  }
}
