package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import java.util.Set;

/**
 * The kubelets: what they run, how fast they relist and start pods, their runtime and certificates.
 */
public final class KubeletDashboard implements DashboardDefinition {
  public static final String UID = "k8s-kubelet";
  private static final String SEL = "job=\"kubelet\",node=~\"$node\"";

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
    return Dashboard.builder(UID, "Kubernetes / Kubelet")
        .description(
            "Pods and containers the kubelets run, their lifecycle latencies, runtime errors, evictions and certificates.")
        .tags("kubernetes", "kubelet", "nodes")
        .variable(Variable.query("node", "Node", "label_values(up{job=\"kubelet\"}, node)"))
        .row(
            "Kubelets",
            Panel.stat("Kubelets up")
                .target(prometheus("sum(up{" + SEL + "})"))
                .thresholds(Thresholds.base("red").from(1, "green")),
            Panel.stat("Running pods").target(prometheus("sum(kubelet_running_pods{" + SEL + "})")),
            Panel.stat("Running containers")
                .target(
                    prometheus(
                        "sum(kubelet_running_containers{"
                            + SEL
                            + ",container_state=\"running\"})")),
            Panel.stat("Evictions (1h)")
                .target(
                    prometheus("sum(increase(kubelet_evictions{" + SEL + "}[1h])) or vector(0)"))
                .decimals(0)
                .thresholds(Thresholds.base("green").from(1, "orange")))
        .row(
            "Lifecycle",
            Panel.timeseries("PLEG relist, 99th percentile")
                .description("KubeletPlegDurationHigh fires at 10 s, the histogram's top bucket.")
                .target(
                    prometheus(
                            "histogram_quantile(0.99, sum by (node, le) (rate(kubelet_pleg_relist_duration_seconds_bucket{"
                                + SEL
                                + "}[$__rate_interval])))")
                        .legend("{{node}}"))
                .unit(Units.SECONDS),
            Panel.timeseries("Pod start, 99th percentile")
                .description("Image pulls and init containers left out (the SLI histogram).")
                .target(
                    prometheus(
                            "histogram_quantile(0.99, sum by (node, le) (rate(kubelet_pod_start_sli_duration_seconds_bucket{"
                                + SEL
                                + "}[$__rate_interval])))")
                        .legend("{{node}}"))
                .unit(Units.SECONDS),
            Panel.timeseries("Runtime operation errors")
                .target(
                    prometheus(
                            "sum by (node, operation_type) (rate(kubelet_runtime_operations_errors_total{"
                                + SEL
                                + "}[$__rate_interval]))")
                        .legend("{{node}} {{operation_type}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Running pods by node")
                .target(prometheus("kubelet_running_pods{" + SEL + "}").legend("{{node}}"))
                .unit(Units.SHORT))
        .row(
            "Certificates",
            Panel.barGauge("Client certificate lifetime left")
                .description(
                    "The kubelet's certificate towards the API server; rotation renews it long before the end.")
                .target(
                    prometheus("kubelet_certificate_manager_client_ttl_seconds{" + SEL + "}")
                        .legend("{{node}}")
                        .instantQuery())
                .unit(Units.SECONDS)
                .thresholds(Thresholds.base("red").from(86400, "orange").from(604800, "green"))
                .size(12, 6),
            Panel.barGauge("Serving certificate lifetime left")
                .description(
                    "Only kubelets that request their serving certificate from the API (serverTLSBootstrap) report it.")
                .target(
                    prometheus("kubelet_certificate_manager_server_ttl_seconds{" + SEL + "}")
                        .legend("{{node}}")
                        .instantQuery())
                .unit(Units.SECONDS)
                .thresholds(Thresholds.base("red").from(86400, "orange").from(604800, "green"))
                .size(12, 6))
        .build();
  }
}
