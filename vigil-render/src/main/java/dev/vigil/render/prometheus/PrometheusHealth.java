package dev.vigil.render.prometheus;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Transformation;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.ValueMapping;
import java.util.Set;

/** Whether Prometheus itself is healthy: targets, ingestion, query latency and storage. */
public final class PrometheusHealth implements DashboardDefinition {
  public static final String UID = "prometheus-health";

  /**
   * Scrape job of Prometheus's own series; other components (Tempo, Alloy) export some of the same
   * names.
   */
  private static final String SELF = "job=\"prometheus\"";

  private static final String QUERY_HANDLERS = "/api/v1/query|/api/v1/query_range";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(PrometheusRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Prometheus health")
        .description("Scrape targets, ingestion, query latency and TSDB size of Prometheus.")
        .tags("prometheus")
        .row(
            "Targets",
            Panel.stat("Targets up").target(prometheus("sum(up)")),
            Panel.stat("Scrape targets").target(prometheus("count(up)")),
            Panel.stat("Targets down")
                .target(prometheus("count(up == 0) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Last config reload")
                .target(prometheus("min(prometheus_config_last_reload_successful{" + SELF + "})"))
                .mapping("1", "OK", "green")
                .mapping("0", "Failed", "red")
                .colorBackground(),
            Panel.stat("Rule evaluation failures (1h)")
                .target(
                    prometheus(
                        "sum(increase(prometheus_rule_evaluation_failures_total{"
                            + SELF
                            + "}[1h]))"
                            + " or vector(0)"))
                .decimals(0)
                .thresholds(Thresholds.base("green").from(1, "red")),
            Panel.stat("Head series")
                .target(prometheus("sum(prometheus_tsdb_head_series{" + SELF + "})"))
                .unit(Units.SHORT)
                .sparkline())
        .row(
            "Ingestion and queries",
            Panel.timeseries("Samples ingested")
                .target(
                    prometheus(
                            "sum by (instance) ("
                                + "rate(prometheus_tsdb_head_samples_appended_total{"
                                + SELF
                                + "}[$__rate_interval]))")
                        .legend("{{instance}}"))
                .unit(Units.COUNTS_PER_SECOND),
            Panel.timeseries("Query duration p95 / p99")
                .description(
                    "HTTP API latency of instant and range queries, from the request duration"
                        + " histogram (the engine's own summary has no 95th percentile), and the"
                        + " engine's 99th percentile evaluation time.")
                .targets(
                    prometheus(
                            "histogram_quantile(0.95, sum by (le, handler) ("
                                + "rate(prometheus_http_request_duration_seconds_bucket{"
                                + SELF
                                + ",handler=~\""
                                + QUERY_HANDLERS
                                + "\"}[$__rate_interval])))")
                        .legend("p95 {{handler}}"),
                    prometheus(
                            "histogram_quantile(0.99, sum by (le, handler) ("
                                + "rate(prometheus_http_request_duration_seconds_bucket{"
                                + SELF
                                + ",handler=~\""
                                + QUERY_HANDLERS
                                + "\"}[$__rate_interval])))")
                        .legend("p99 {{handler}}"),
                    prometheus(
                            "max(prometheus_engine_query_duration_seconds"
                                + "{"
                                + SELF
                                + ",slice=\"inner_eval\",quantile=\"0.99\"})")
                        .legend("p99 engine evaluation"))
                .unit(Units.SECONDS))
        .row(
            "Storage",
            Panel.timeseries("TSDB head series")
                .description(
                    "Series in the head block: the cardinality Prometheus holds in memory.")
                .target(
                    prometheus("prometheus_tsdb_head_series{" + SELF + "}").legend("{{instance}}"))
                .unit(Units.SHORT)
                .width(8),
            Panel.timeseries("Storage size")
                .description("Persisted blocks plus the write-ahead log, stacked to the total.")
                .targets(
                    prometheus("prometheus_tsdb_storage_blocks_bytes{" + SELF + "}")
                        .legend("blocks {{instance}}"),
                    prometheus("prometheus_tsdb_wal_storage_size_bytes{" + SELF + "}")
                        .legend("WAL {{instance}}"))
                .unit(Units.BYTES)
                .stacked()
                .width(8),
            Panel.timeseries("Slowest scrapes")
                .target(
                    prometheus("topk(10, max by (job, instance) (scrape_duration_seconds))")
                        .legend("{{job}} {{instance}}"))
                .unit(Units.SECONDS)
                .width(8))
        .row("Scrape targets", scrapeTargetTable())
        .build();
  }

  /** One row per target: up or down in colour, scrape duration and samples per scrape. */
  private static Panel.Builder scrapeTargetTable() {
    return Panel.table("Scrape target status")
        .targets(
            prometheus("max by (job, instance) (up)").asTable(),
            prometheus("max by (job, instance) (scrape_duration_seconds)").asTable(),
            prometheus("max by (job, instance) (scrape_samples_scraped)").asTable())
        .transform(Transformation.merge())
        .transform(
            Transformation.organize()
                .hide("Time")
                .order("job", "instance", "Value #A", "Value #B", "Value #C")
                .rename("job", "Job")
                .rename("instance", "Instance")
                .rename("Value #A", "Status")
                .rename("Value #B", "Scrape duration")
                .rename("Value #C", "Samples")
                .build())
        .override(
            FieldOverride.byName("Status")
                .mappings(ValueMapping.of("1", "Up", "green"), ValueMapping.of("0", "Down", "red"))
                .colorBackground())
        .override(FieldOverride.byName("Scrape duration").unit(Units.SECONDS))
        .sortBy("Status", false)
        .height(10);
  }
}
