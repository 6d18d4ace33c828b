package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.*;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/**
 * Pod traffic as cAdvisor measures it in each pod's network namespace, from the recorded per-pod
 * rates: the cluster by namespace, a namespace by pod, and one pod. Pods on the host network report
 * the node's interfaces, so their traffic is the node's.
 */
final class NetworkDashboards {
  private NetworkDashboards() {}

  private static Panel.Builder traffic(String title, String by, String selector, String legend) {
    return Panel.timeseries(title)
        .description("Received above the axis, sent below.")
        .targets(
            prometheus("sum by (" + by + ") (" + RECEIVE + selector + ")")
                .legend(legend + " received"),
            prometheus("sum by (" + by + ") (" + TRANSMIT + selector + ")")
                .legend(legend + " sent"))
        .unit(Units.BYTES_PER_SECOND)
        .override(FieldOverride.byRegexp(".* sent").negativeY());
  }

  private static Panel.Builder drops(String title, String by, String selector, String legend) {
    return Panel.timeseries(title)
        .targets(
            prometheus("sum by (" + by + ") (" + RECEIVE_DROPS + selector + ")")
                .legend(legend + " received"),
            prometheus("sum by (" + by + ") (" + TRANSMIT_DROPS + selector + ")")
                .legend(legend + " sent"))
        .unit(Units.COUNTS_PER_SECOND);
  }

  /** The whole cluster, by namespace. */
  public static final class Cluster implements DashboardDefinition {
    public static final String UID = "k8s-network-cluster";

    @Override
    public String uid() {
      return UID;
    }

    @Override
    public Set<String> requires() {
      return Set.of(KubernetesRenderer.NAME);
    }

    @Override
    public Dashboard build(Set<String> enabled) {
      return Dashboard.builder(UID, "Kubernetes / Networking / Cluster")
          .description(
              "Pod traffic and dropped packets of the whole cluster, by namespace, and the busiest pods.")
          .tags("kubernetes", "network")
          .row(
              "Cluster",
              Panel.stat("Received")
                  .target(prometheus("sum(" + RECEIVE + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Sent")
                  .target(prometheus("sum(" + TRANSMIT + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Received packets dropped")
                  .target(prometheus("sum(" + RECEIVE_DROPS + ")"))
                  .unit(Units.COUNTS_PER_SECOND),
              Panel.stat("Sent packets dropped")
                  .target(prometheus("sum(" + TRANSMIT_DROPS + ")"))
                  .unit(Units.COUNTS_PER_SECOND))
          .row(
              "Namespaces",
              traffic("Traffic by namespace", "namespace", "", "{{namespace}}"),
              drops("Packets dropped by namespace", "namespace", "", "{{namespace}}"),
              Panel.barGauge("Busiest pods (received)")
                  .target(
                      prometheus("topk(10, sum by (namespace, pod) (" + RECEIVE + "))")
                          .legend("{{namespace}}/{{pod}}")
                          .instantQuery())
                  .unit(Units.BYTES_PER_SECOND)
                  .size(12, 8),
              Panel.barGauge("Busiest pods (sent)")
                  .target(
                      prometheus("topk(10, sum by (namespace, pod) (" + TRANSMIT + "))")
                          .legend("{{namespace}}/{{pod}}")
                          .instantQuery())
                  .unit(Units.BYTES_PER_SECOND)
                  .size(12, 8))
          .build();
    }
  }

  /** One namespace, by pod. */
  public static final class Namespace implements DashboardDefinition {
    public static final String UID = "k8s-network-namespace";
    private static final String SEL = "{namespace=~\"$namespace\"}";

    @Override
    public String uid() {
      return UID;
    }

    @Override
    public Set<String> requires() {
      return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
    }

    @Override
    public Dashboard build(Set<String> enabled) {
      return Dashboard.builder(UID, "Kubernetes / Networking / Namespace")
          .description("Traffic and dropped packets of the pods of a namespace.")
          .tags("kubernetes", "network")
          .variable(Variable.query("namespace", "Namespace", NAMESPACES))
          .row(
              "Namespace",
              Panel.stat("Received")
                  .target(prometheus("sum(" + RECEIVE + SEL + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Sent")
                  .target(prometheus("sum(" + TRANSMIT + SEL + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Received packets dropped")
                  .target(prometheus("sum(" + RECEIVE_DROPS + SEL + ")"))
                  .unit(Units.COUNTS_PER_SECOND),
              Panel.stat("Sent packets dropped")
                  .target(prometheus("sum(" + TRANSMIT_DROPS + SEL + ")"))
                  .unit(Units.COUNTS_PER_SECOND))
          .row(
              "Pods",
              traffic("Traffic by pod", "pod", SEL, "{{pod}}"),
              drops("Packets dropped by pod", "pod", SEL, "{{pod}}"))
          .build();
    }
  }

  /** One pod. */
  public static final class Pod implements DashboardDefinition {
    public static final String UID = "k8s-network-pod";
    private static final String SEL = "{namespace=~\"$namespace\",pod=~\"$pod\"}";

    @Override
    public String uid() {
      return UID;
    }

    @Override
    public Set<String> requires() {
      return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
    }

    @Override
    public Dashboard build(Set<String> enabled) {
      return Dashboard.builder(UID, "Kubernetes / Networking / Pod")
          .description("Traffic, packets and dropped packets of a pod.")
          .tags("kubernetes", "network")
          .variable(Variable.query("namespace", "Namespace", NAMESPACES))
          .variable(
              Variable.query(
                  "pod",
                  "Pod",
                  "label_values(kube_pod_info{" + KSM + ",namespace=~\"$namespace\"}, pod)"))
          .row(
              "Pod",
              Panel.stat("Received")
                  .target(prometheus("sum(" + RECEIVE + SEL + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Sent")
                  .target(prometheus("sum(" + TRANSMIT + SEL + ")"))
                  .unit(Units.BYTES_PER_SECOND),
              Panel.stat("Received packets dropped")
                  .target(prometheus("sum(" + RECEIVE_DROPS + SEL + ")"))
                  .unit(Units.COUNTS_PER_SECOND),
              Panel.stat("Sent packets dropped")
                  .target(prometheus("sum(" + TRANSMIT_DROPS + SEL + ")"))
                  .unit(Units.COUNTS_PER_SECOND))
          .row(
              "Traffic",
              traffic("Traffic", "pod", SEL, "{{pod}}"),
              drops("Packets dropped", "pod", SEL, "{{pod}}"),
              Panel.timeseries("Packets")
                  .description("Received above the axis, sent below.")
                  .targets(
                      prometheus(
                              "sum by (pod) (rate(container_network_receive_packets_total{job=\"cadvisor\",interface!=\"lo\",namespace=~\"$namespace\",pod=~\"$pod\"}[$__rate_interval]))")
                          .legend("{{pod}} received"),
                      prometheus(
                              "sum by (pod) (rate(container_network_transmit_packets_total{job=\"cadvisor\",interface!=\"lo\",namespace=~\"$namespace\",pod=~\"$pod\"}[$__rate_interval]))")
                          .legend("{{pod}} sent"))
                  .unit(Units.COUNTS_PER_SECOND)
                  .override(FieldOverride.byRegexp(".* sent").negativeY()),
              Panel.timeseries("Receive and send errors")
                  .targets(
                      prometheus(
                              "sum by (pod) (rate(container_network_receive_errors_total{job=\"cadvisor\",interface!=\"lo\",namespace=~\"$namespace\",pod=~\"$pod\"}[$__rate_interval]))")
                          .legend("{{pod}} received"),
                      prometheus(
                              "sum by (pod) (rate(container_network_transmit_errors_total{job=\"cadvisor\",interface!=\"lo\",namespace=~\"$namespace\",pod=~\"$pod\"}[$__rate_interval]))")
                          .legend("{{pod}} sent"))
                  .unit(Units.COUNTS_PER_SECOND))
          .build();
    }
  }
}
