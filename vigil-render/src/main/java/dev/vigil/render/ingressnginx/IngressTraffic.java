package dev.vigil.render.ingressnginx;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/**
 * What the cluster's edge serves: requests, errors and latency per Ingress, and certificate expiry.
 */
public final class IngressTraffic implements DashboardDefinition {
  public static final String UID = "ingress";

  private static final String SELF = "job=\"ingress-nginx\", cluster=\"\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(IngressNginxRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Ingress")
        .description(
            "Requests, server errors and latency per Ingress through ingress-nginx, and the expiry of the certificates it serves.")
        .tags("ingress", "ingress-nginx")
        .row(
            "Edge",
            Panel.stat("Controllers up")
                .target(prometheus("sum(up{" + SELF + "})"))
                .thresholds(Thresholds.base("red").from(1, "green")),
            Panel.stat("Requests")
                .target(
                    prometheus(
                        "sum(rate(nginx_ingress_controller_requests{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.OPS_PER_SECOND)
                .sparkline(),
            Panel.stat("Server errors")
                .target(
                    prometheus(
                        "sum(rate(nginx_ingress_controller_requests{"
                            + SELF
                            + ", status=~\"5..\"}[$__rate_interval]))"
                            + " / sum(rate(nginx_ingress_controller_requests{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.PERCENT_UNIT)
                .thresholds(Thresholds.base("green").from(0.01, "orange").from(0.05, "red")),
            Panel.stat("Last reload")
                .target(
                    prometheus(
                        "min(nginx_ingress_controller_config_last_reload_successful{"
                            + SELF
                            + "})"))
                .mapping("1", "OK", "green")
                .mapping("0", "Failed", "red")
                .colorBackground())
        .row(
            "Per Ingress",
            Panel.timeseries("Requests by Ingress")
                .target(
                    prometheus(
                            "sum by (namespace, ingress) (rate(nginx_ingress_controller_requests{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{namespace}}/{{ingress}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(8),
            Panel.timeseries("5xx ratio by Ingress")
                .target(
                    prometheus(
                            "sum by (namespace, ingress) (rate(nginx_ingress_controller_requests{"
                                + SELF
                                + ", status=~\"5..\"}[$__rate_interval])) / sum by (namespace, ingress) (rate(nginx_ingress_controller_requests{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{namespace}}/{{ingress}}"))
                .unit(Units.PERCENT_UNIT)
                .width(8),
            Panel.timeseries("Latency p95 by Ingress")
                .target(
                    prometheus(
                            "histogram_quantile(0.95, sum by (le, namespace, ingress) (rate(nginx_ingress_controller_request_duration_seconds_bucket{"
                                + SELF
                                + "}[$__rate_interval])))")
                        .legend("{{namespace}}/{{ingress}}"))
                .unit(Units.SECONDS)
                .width(8))
        .row(
            "Certificates",
            Panel.table("Days until expiry")
                .target(
                    prometheus(
                            "min by (host, namespace, secret_name) (nginx_ingress_controller_ssl_expire_time_seconds{"
                                + SELF
                                + "} - time()) / 86400")
                        .asTable())
                .decimals(1)
                .thresholds(Thresholds.base("red").from(7, "orange").from(21, "green")))
        .build();
  }
}
