package dev.vigil.render.kubernetes;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/**
 * The API server against its objectives (availability and latency, as the burn-rate alerts judge
 * them), then where the errors and the slow requests are. Every heavy series is recorded by
 * kube-apiserver.rules.yaml.
 */
public final class ApiServerDashboard implements DashboardDefinition {
  public static final String UID = "k8s-apiserver";
  private static final String API = "job=\"apiserver\"";

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
    Thresholds objective = Thresholds.base("red").from(0.99, "green");
    return Dashboard.builder(UID, "Kubernetes / API server")
        .description(
            "Availability and latency of the API server against their 99% objectives, then requests, errors and latency by verb.")
        .tags("kubernetes", "apiserver")
        .row(
            "Objectives",
            Panel.stat("Availability (3 days)")
                .description(
                    "Requests answered without a 5xx status; the objective is 99% (KubeAPIAvailabilityBurnRate).")
                .target(
                    prometheus(
                        "1 - cluster_job:apiserver_request_errors:ratio_rate3d{" + API + "}"))
                .unit(Units.PERCENT_UNIT)
                .decimals(3)
                .thresholds(objective),
            Panel.stat("Within latency target (3 days)")
                .description(
                    "Requests within 1 s (5 s for namespace lists, 30 s for cluster lists); the objective is 99% (KubeAPILatencyBurnRate).")
                .target(
                    prometheus("1 - cluster_job:apiserver_request_slow:ratio_rate3d{" + API + "}"))
                .unit(Units.PERCENT_UNIT)
                .decimals(3)
                .thresholds(objective),
            Panel.stat("API servers up")
                .target(prometheus("sum(up{" + API + "})"))
                .thresholds(Thresholds.base("red").from(1, "green")),
            Panel.timeseries("Error budget burn rate")
                .description(
                    "Failing or slow share of requests over the last hour, divided by the 1% budget: 1 spends the month's budget in a month, 14.4 in two days.")
                .targets(
                    prometheus(
                            "cluster_job:apiserver_request_errors:ratio_rate1h{" + API + "} / 0.01")
                        .legend("availability"),
                    prometheus(
                            "cluster_job:apiserver_request_slow:ratio_rate1h{" + API + "} / 0.01")
                        .legend("latency"))
                .unit(Units.SHORT)
                .thresholds(Thresholds.base("green").from(1, "orange").from(14.4, "red"))
                .showThresholds())
        .row(
            "Requests",
            Panel.timeseries("Requests by verb")
                .target(
                    prometheus(
                            "sum by (verb) (code_verb:apiserver_request_total:rate5m{" + API + "})")
                        .legend("{{verb}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Requests by status code")
                .target(
                    prometheus(
                            "sum by (code) (code_verb:apiserver_request_total:rate5m{" + API + "})")
                        .legend("{{code}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Error and slow shares (5 minutes)")
                .targets(
                    prometheus("cluster_job:apiserver_request_errors:ratio_rate5m{" + API + "}")
                        .legend("5xx"),
                    prometheus("cluster_job:apiserver_request_slow:ratio_rate5m{" + API + "}")
                        .legend("over the latency target"))
                .unit(Units.PERCENT_UNIT),
            Panel.timeseries("Requests in flight")
                .target(
                    prometheus(
                            "sum by (instance, request_kind) (apiserver_current_inflight_requests{"
                                + API
                                + "})")
                        .legend("{{instance}} {{request_kind}}"))
                .unit(Units.SHORT))
        .row(
            "Latency",
            Panel.timeseries("99th percentile by verb")
                .description(
                    "From the SLI histogram (webhooks and queueing left out); its buckets stop at 0.1, 0.4, 1, 5 and 30 s.")
                .target(
                    prometheus(
                            "histogram_quantile(0.99, sum by (verb, le) (le_scope_verb:apiserver_request_sli_duration_seconds_bucket:rate5m{"
                                + API
                                + "}))")
                        .legend("{{verb}}"))
                .unit(Units.SECONDS),
            Panel.timeseries("Requests rejected by priority level")
                .description(
                    "API Priority and Fairness turning requests away (KubeAPIRequestsRejected).")
                .target(
                    prometheus(
                            "sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total{"
                                + API
                                + "}[$__rate_interval]))")
                        .legend("{{priority_level}}"))
                .unit(Units.OPS_PER_SECOND))
        .build();
  }
}
