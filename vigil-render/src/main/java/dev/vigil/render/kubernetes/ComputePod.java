package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;
import static dev.vigil.render.kubernetes.ComputeQueries.*;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Json;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.Variable;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import java.util.Set;

/**
 * One pod's containers: CPU against requests and limits and its throttling, memory against the
 * limit, OOM kills and restarts: what KubeContainerCPUThrottlingHigh, KubeContainerMemoryNearLimit
 * and the OOM alerts point at.
 */
public final class ComputePod implements DashboardDefinition {
  public static final String UID = "k8s-compute-pod";
  private static final String SEL = "namespace=~\"$namespace\",pod=~\"$pod\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KubernetesRenderer.NAME, KubeStateMetricsRenderer.NAME);
  }

  private static FieldOverride dashed(String regexp) {
    return FieldOverride.byRegexp(regexp)
        .set("custom.lineStyle", Json.obj("fill", "dash", "dash", Json.arr(10, 10)));
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Kubernetes / Compute resources / Pod")
        .description("CPU, throttling, memory, OOM kills and restarts of the containers of a pod.")
        .tags("kubernetes", "resources")
        .variable(Variable.query("namespace", "Namespace", NAMESPACES))
        .variable(
            Variable.query(
                "pod",
                "Pod",
                "label_values(kube_pod_info{" + KSM + ",namespace=~\"$namespace\"}, pod)"))
        .row(
            "CPU",
            Panel.timeseries("CPU usage by container")
                .description("Dashed: the container's request and limit.")
                .targets(
                    prometheus("sum by (container) (" + CPU_USAGE + "{" + SEL + "})")
                        .legend("{{container}}"),
                    prometheus(
                            "sum by (container) (kube_pod_container_resource_requests{"
                                + KSM
                                + ",resource=\"cpu\","
                                + SEL
                                + "})")
                        .legend("{{container}} request"),
                    prometheus(
                            "sum by (container) (kube_pod_container_resource_limits{"
                                + KSM
                                + ",resource=\"cpu\","
                                + SEL
                                + "})")
                        .legend("{{container}} limit"))
                .unit(Units.SHORT)
                .override(dashed(".* (request|limit)")),
            Panel.timeseries("CPU throttling by container")
                .description(
                    "Share of the CFS periods in which the container was throttled; KubeContainerCPUThrottlingHigh fires above 25%.")
                .target(
                    prometheus(
                            "sum by (container) (rate(container_cpu_cfs_throttled_periods_total{job=\"cadvisor\",container!=\"\","
                                + SEL
                                + "}[$__rate_interval]))"
                                + " / sum by (container) (rate(container_cpu_cfs_periods_total{job=\"cadvisor\",container!=\"\","
                                + SEL
                                + "}[$__rate_interval]))")
                        .legend("{{container}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(Thresholds.base("green").from(0.25, "red"))
                .showThresholds())
        .row(
            "Memory",
            Panel.timeseries("Memory usage by container")
                .description("Working set; dashed: the container's request and limit.")
                .targets(
                    prometheus("sum by (container) (" + MEMORY_USAGE + "{" + SEL + "})")
                        .legend("{{container}}"),
                    prometheus(
                            "sum by (container) (kube_pod_container_resource_requests{"
                                + KSM
                                + ",resource=\"memory\","
                                + SEL
                                + "})")
                        .legend("{{container}} request"),
                    prometheus(
                            "sum by (container) (kube_pod_container_resource_limits{"
                                + KSM
                                + ",resource=\"memory\","
                                + SEL
                                + "})")
                        .legend("{{container}} limit"))
                .unit(Units.BYTES)
                .override(dashed(".* (request|limit)")),
            Panel.timeseries("OOM kills and restarts by container")
                .description(
                    "OOM events inside the container (whether or not it restarted) and container restarts.")
                .targets(
                    prometheus(
                            "sum by (container) (increase(container_oom_events_total{job=\"cadvisor\",container!=\"\","
                                + SEL
                                + "}[$__rate_interval]))")
                        .legend("{{container}} OOM kills"),
                    prometheus(
                            "sum by (container) (increase(kube_pod_container_status_restarts_total{"
                                + KSM
                                + ","
                                + SEL
                                + "}[$__rate_interval]))")
                        .legend("{{container}} restarts"))
                .unit(Units.SHORT)
                .bars())
        .row(
            "Network",
            Panel.timeseries("Network traffic")
                .description("Received above the axis, sent below.")
                .targets(
                    prometheus("sum by (pod) (" + RECEIVE + "{" + SEL + "})")
                        .legend("{{pod}} received"),
                    prometheus("sum by (pod) (" + TRANSMIT + "{" + SEL + "})")
                        .legend("{{pod}} sent"))
                .unit(Units.BYTES_PER_SECOND)
                .override(FieldOverride.byRegexp(".* sent").negativeY()),
            Panel.timeseries("Packets dropped")
                .targets(
                    prometheus("sum by (pod) (" + RECEIVE_DROPS + "{" + SEL + "})")
                        .legend("{{pod}} received"),
                    prometheus("sum by (pod) (" + TRANSMIT_DROPS + "{" + SEL + "})")
                        .legend("{{pod}} sent"))
                .unit(Units.COUNTS_PER_SECOND))
        .build();
  }
}
