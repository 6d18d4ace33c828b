package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
  @Test
  void findsTheMetricsAndNothingElse() {
    assertThat(
            PromQlNames.of(
                "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{job=\"cadvisor\", image!=\"\"}[5m]))"
                    + " / on (namespace) group_left(owner) kube_pod_owner{owner_kind=\"ReplicaSet\"} > 0.9"))
        .containsExactly("container_cpu_usage_seconds_total", "kube_pod_owner");
    assertThat(PromQlNames.of("absent(up{job=\"kubelet\"} == 1)")).containsExactly("up");
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum without (instance) (rate(x_bucket[$__rate_interval])))"))
        .containsExactly("x_bucket");
    assertThat(PromQlNames.of("instance:node_cpu_utilisation:rate5m offset 1h and bool 1"))
        .containsExactly("instance:node_cpu_utilisation:rate5m");
    assertThat(PromQlNames.of("{__name__=\"ALERTS\", alertstate=\"firing\"}"))
        .containsExactly("ALERTS");
    assertThat(PromQlNames.of("label_replace(a, \"dst\", \"$1\", \"src\", \"(.*)\") unless b"))
        .containsExactly("a", "b");
    assertThat(
            PromQlNames.of(
                "predict_linear(node_filesystem_avail_bytes{fstype!~\"tmpfs|nsfs\"}[6h], 4 * 3600) < 0"))
        .containsExactly("node_filesystem_avail_bytes");
  }
}
