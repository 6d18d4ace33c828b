package dev.vigil.render.tempo;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** Whether Tempo keeps up: spans in and refused, queries, flushes to storage and compaction. */
public final class TempoHealth implements DashboardDefinition {
  public static final String UID = "tempo";

  private static final String SELF = "job=\"tempo\", cluster=\"\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(TempoRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Tempo")
        .description(
            "Spans Tempo receives and refuses, query latency, flushes to storage and compaction.")
        .tags("tempo", "traces")
        .row(
            "Ingestion",
            Panel.stat("Tempo up")
                .target(prometheus("min(up{" + SELF + "})"))
                .mapping("1", "Up", "green")
                .mapping("0", "Down", "red")
                .colorBackground(),
            Panel.stat("Spans received")
                .target(
                    prometheus(
                        "sum(rate(tempo_distributor_spans_received_total{"
                            + SELF
                            + "}[$__rate_interval]))"))
                .unit(Units.COUNTS_PER_SECOND)
                .sparkline(),
            Panel.stat("Spans discarded (1h)")
                .target(
                    prometheus(
                        "sum(increase(tempo_discarded_spans_total{"
                            + SELF
                            + "}[1h])) or vector(0)"))
                .decimals(0)
                .thresholds(Thresholds.base("green").from(1, "red")),
            Panel.stat("Traces being assembled")
                .target(prometheus("sum(tempo_ingester_live_traces{" + SELF + "})"))
                .unit(Units.SHORT)
                .sparkline())
        .row(
            "Throughput and limits",
            Panel.timeseries("Bytes received")
                .description(
                    "Protobuf bytes accepted by the distributor, after the ingestion limits.")
                .target(
                    prometheus(
                            "sum by (tenant) (rate(tempo_distributor_bytes_received_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{tenant}}"))
                .unit(Units.BYTES_PER_SECOND)
                .width(12),
            Panel.timeseries("Spans discarded by reason")
                .description(
                    "rate_limited and trace_too_large are the spec's components.tempo.limits;"
                        + " live_traces_exceeded is maxTracesPerUser.")
                .target(
                    prometheus(
                            "sum by (reason) (rate(tempo_discarded_spans_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{reason}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12))
        .row(
            "Queries",
            Panel.timeseries("Requests by route")
                .target(
                    prometheus(
                            "sum by (route) (rate(tempo_request_duration_seconds_count{"
                                + SELF
                                + ", route!~\"metrics|ready\"}[$__rate_interval]))")
                        .legend("{{route}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12),
            Panel.timeseries("Latency p99 by route")
                .target(
                    prometheus(
                            "histogram_quantile(0.99, sum by (le, route) (rate(tempo_request_duration_seconds_bucket{"
                                + SELF
                                + ", route!~\"metrics|ready\"}[$__rate_interval])))")
                        .legend("{{route}}"))
                .unit(Units.SECONDS)
                .width(12))
        .row(
            "Storage",
            Panel.timeseries("Blocks flushed and failed flushes")
                .targets(
                    prometheus(
                            "sum(increase(tempo_ingester_blocks_flushed_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("flushed"),
                    prometheus(
                            "sum(increase(tempo_ingester_failed_flushes_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("failed"))
                .unit(Units.SHORT)
                .width(8),
            Panel.timeseries("Compaction and retention errors")
                .targets(
                    prometheus(
                            "sum(increase(tempodb_compaction_errors_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("compaction"),
                    prometheus(
                            "sum(increase(tempodb_retention_errors_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("retention"))
                .unit(Units.SHORT)
                .width(8),
            Panel.timeseries("Blocks in storage")
                .targets(prometheus("sum(tempodb_blocklist_length{" + SELF + "})").legend("blocks"))
                .unit(Units.SHORT)
                .width(8))
        .build();
  }
}
