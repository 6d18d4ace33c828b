package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalClusterTest {
  @Test
  void everySelectorGetsTheEmptyClusterMatcher() {
    assertThat(
            LocalCluster.scope(
                "sum by (node) (rate(node_cpu_seconds_total{mode!=\"idle\",node=~\"$node\"}[$__rate_interval]))"))
        .isEqualTo(
            "sum by (node) (rate(node_cpu_seconds_total{mode!=\"idle\",node=~\"$node\",cluster=\"\"}[$__rate_interval]))");
    assertThat(LocalCluster.scope("instance:node_cpu_utilisation:rate5m > 0.8"))
        .isEqualTo("instance:node_cpu_utilisation:rate5m{cluster=\"\"} > 0.8");
    assertThat(
            LocalCluster.scope("1 - a{job=\"x\", b=\"c\"} / on (node) group_left (os) b offset 1h"))
        .isEqualTo(
            "1 - a{job=\"x\", b=\"c\", cluster=\"\"} / on (node) group_left (os) b{cluster=\"\"} offset 1h");
    assertThat(LocalCluster.scope("{__name__=~\"ipmi_.*\"} or vector(0)"))
        .isEqualTo("{__name__=~\"ipmi_.*\",cluster=\"\"} or vector(0)");
  }

  @Test
  void stringsFunctionsAndExplicitClusterMatchersAreLeftAlone() {
    String q =
        "label_replace(max by (node) (kube_node_info{cluster=\"rke2\"}), \"role\", \"worker\", \"\", \"\")"
            + " or time() - topk(3, x{y=\"a{2}\"})";
    assertThat(LocalCluster.scope(q))
        .isEqualTo(
            "label_replace(max by (node) (kube_node_info{cluster=\"rke2\"}), \"role\", \"worker\", \"\", \"\")"
                + " or time() - topk(3, x{y=\"a{2}\",cluster=\"\"})");
  }

  @Test
  void variableQueriesScopeTheirSelectorOnly() {
    assertThat(
            LocalCluster.scopeLabelValues(
                "label_values(node_uname_info{job=\"node-exporter\"}, node)"))
        .isEqualTo("label_values(node_uname_info{job=\"node-exporter\",cluster=\"\"}, node)");
    assertThat(LocalCluster.scopeLabelValues("label_values(kube_namespace_created, namespace)"))
        .isEqualTo("label_values(kube_namespace_created{cluster=\"\"}, namespace)");
  }
}
