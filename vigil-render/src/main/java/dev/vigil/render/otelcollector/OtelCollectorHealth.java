package dev.vigil.render.otelcollector;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Target;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** What goes into the OpenTelemetry Collector, what comes out, and what it refuses or drops. */
public final class OtelCollectorHealth implements DashboardDefinition {
  public static final String UID = "otel-collector";

  private static final String SELF = "job=\"otel-collector\", cluster=\"\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(OtelCollectorRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "OpenTelemetry Collector")
        .description(
            "Spans, metric points and log records received, exported, refused and dropped by the collector.")
        .tags("otel-collector", "traces")
        .row(
            "Overview",
            Panel.stat("Replicas up")
                .target(prometheus("sum(up{" + SELF + "})"))
                .thresholds(Thresholds.base("red").from(1, "green")),
            Panel.stat("Spans in")
                .target(
                    prometheus(
                        "sum(rate(otelcol_receiver_accepted_spans{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.COUNTS_PER_SECOND)
                .sparkline(),
            Panel.stat("Metric points in")
                .target(
                    prometheus(
                        "sum(rate(otelcol_receiver_accepted_metric_points{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.COUNTS_PER_SECOND)
                .sparkline(),
            Panel.stat("Log records in")
                .target(
                    prometheus(
                        "sum(rate(otelcol_receiver_accepted_log_records{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.COUNTS_PER_SECOND)
                .sparkline(),
            Panel.stat("Dropped (1h)")
                .description(
                    "Items exporters could not enqueue because their sending queue was full: lost.")
                .target(
                    prometheus(
                        "sum(increase(otelcol_exporter_enqueue_failed_spans{"
                            + SELF
                            + "}[1h]))"
                            + " + sum(increase(otelcol_exporter_enqueue_failed_metric_points{"
                            + SELF
                            + "}[1h]))"
                            + " + sum(increase(otelcol_exporter_enqueue_failed_log_records{"
                            + SELF
                            + "}[1h])) or vector(0)"))
                .decimals(0)
                .thresholds(Thresholds.base("green").from(1, "red")))
        .row(
            "Received and refused",
            Panel.timeseries("Accepted by receiver")
                .targets(perSignal("receiver", "otelcol_receiver_accepted"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Refused: receivers and memory limiter")
                .targets(perSignal("receiver", "otelcol_receiver_refused"))
                .target(
                    prometheus(
                            "sum(rate(otelcol_processor_memory_limiter_refused_spans{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("memory limiter: spans"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12))
        .row(
            "Exported",
            Panel.timeseries("Sent by exporter")
                .targets(perSignal("exporter", "otelcol_exporter_sent"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(8),
            Panel.timeseries("Failed sends by exporter")
                .targets(perSignal("exporter", "otelcol_exporter_send_failed"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(8),
            Panel.timeseries("Sending queue fill")
                .target(
                    prometheus(
                            "max by (exporter) (otelcol_exporter_queue_size{"
                                + SELF
                                + "}"
                                + " / otelcol_exporter_queue_capacity{"
                                + SELF
                                + "})")
                        .legend("{{exporter}}"))
                .unit(Units.PERCENT_UNIT)
                .width(8))
        .row(
            "Process",
            Panel.timeseries("Memory (RSS) by pod")
                .target(
                    prometheus("max by (pod) (otelcol_process_memory_rss{" + SELF + "})")
                        .legend("{{pod}}"))
                .unit(Units.BYTES)
                .width(12),
            Panel.timeseries("CPU by pod")
                .target(
                    prometheus(
                            "sum by (pod) (rate(otelcol_process_cpu_seconds{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{pod}}"))
                .unit(Units.SHORT)
                .width(12))
        .build();
  }

  /** The per-second rate of a family for each of the three signals, by receiver or exporter. */
  private static Target[] perSignal(String by, String family) {
    String[][] signals = {
      {"spans", "spans"}, {"metric_points", "metric points"}, {"log_records", "log records"}
    };
    Target[] out = new Target[signals.length];
    for (int i = 0; i < signals.length; i++) {
      out[i] =
          prometheus(
                  "sum by ("
                      + by
                      + ") (rate("
                      + family
                      + "_"
                      + signals[i][0]
                      + "{"
                      + SELF
                      + "}[$__rate_interval]))")
              .legend(signals[i][1] + " {{" + by + "}}");
    }
    return out;
  }
}
