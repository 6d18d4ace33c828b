package dev.vigil.render.tempo;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.prometheus.PrometheusRenderer;
import java.util.Set;

/**
 * Requests, errors and latency per service, from the span metrics Tempo's metrics generator writes
 * into Prometheus (docs/decisions/0301-telemetry-pushed-into-prometheus.md): the generator sees
 * every span Tempo stores, and its series are the ones Grafana's Tempo datasource reads for the
 * service graph, so the dashboard, the trace view's metric links and the service graph agree.
 */
public final class Traces implements DashboardDefinition {
  public static final String UID = "traces";

  /** Spans that answer a request: server and consumer spans, not every internal operation. */
  private static final String ENTRY =
      "span_kind=~\"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER\", cluster=\"\"";

  private static final String ERRORS = ENTRY + ", status_code=\"STATUS_CODE_ERROR\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(TempoRenderer.NAME, PrometheusRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Traces")
        .description(
            "Request rate, error ratio and latency per service and operation, from span metrics;"
                + " open a trace from Grafana Explore (Tempo) or from a log line's trace link.")
        .tags("traces", "tempo")
        .row(
            "Services",
            Panel.timeseries("Requests by service")
                .target(
                    prometheus(
                            "sum by (service) (rate(traces_spanmetrics_calls_total{"
                                + ENTRY
                                + "}[$__rate_interval]))")
                        .legend("{{service}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(8),
            Panel.timeseries("Error ratio by service")
                .description("Share of server and consumer spans with status ERROR.")
                .target(
                    prometheus(
                            "sum by (service) (rate(traces_spanmetrics_calls_total{"
                                + ERRORS
                                + "}[$__rate_interval])) / sum by (service) (rate(traces_spanmetrics_calls_total{"
                                + ENTRY
                                + "}[$__rate_interval]))")
                        .legend("{{service}}"))
                .unit(Units.PERCENT_UNIT)
                .width(8),
            Panel.timeseries("Latency p95 by service")
                .target(
                    prometheus(
                            "histogram_quantile(0.95, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{"
                                + ENTRY
                                + "}[$__rate_interval])))")
                        .legend("{{service}}"))
                .unit(Units.SECONDS)
                .width(8))
        .row(
            "Operations",
            Panel.table("Slowest operations (p95, last hour)")
                .target(
                    prometheus(
                            "topk(10, histogram_quantile(0.95, sum by (le, service, span_name)"
                                + " (rate(traces_spanmetrics_latency_bucket{"
                                + ENTRY
                                + "}[1h]))))")
                        .asTable())
                .unit(Units.SECONDS)
                .width(12),
            Panel.table("Most failing operations (last hour)")
                .target(
                    prometheus(
                            "topk(10, sum by (service, span_name) (increase(traces_spanmetrics_calls_total{"
                                + ERRORS
                                + "}[1h])) > 0)")
                        .asTable())
                .unit(Units.SHORT)
                .width(12))
        .row(
            "Between services",
            Panel.timeseries("Requests between services")
                .description(
                    "From the service graph: client to server, each pair of services seen in the same trace.")
                .target(
                    prometheus(
                            "sum by (client, server) (rate(traces_service_graph_request_total{cluster=\"\"}"
                                + "[$__rate_interval]))")
                        .legend("{{client}} → {{server}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12),
            Panel.timeseries("Failed requests between services")
                .target(
                    prometheus(
                            "sum by (client, server) (rate(traces_service_graph_request_failed_total{cluster=\"\"}"
                                + "[$__rate_interval]))")
                        .legend("{{client}} → {{server}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12))
        .build();
  }
}
