package dev.vigil.render.syslog;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;

/**
 * "Syslog": the gateway's flow from listener to Loki — received, parsed, failed, dropped, pushed,
 * dead-lettered — its journal, and per-source clock skew, from the agent's own metrics.
 */
public final class SyslogDashboard {
  public static final String UID = "syslog";

  private static final String JOB = "job=\"" + SyslogGatewayRenderer.SCRAPE_JOB + "\"";

  private SyslogDashboard() {}

  private static String m(String metric) {
    return metric + "{" + JOB + "}";
  }

  public static Dashboard build() {
    return Dashboard.builder(UID, "Syslog")
        .description(
            "The syslog gateway of vigil agent: messages per listener and source, parse errors,"
                + " the disk journal, pushes to Loki and event-time skew per source.")
        .tags("syslog", "logs")
        .row(
            "Overview",
            Panel.stat("Gateway up")
                .target(prometheus("up{" + JOB + "}").legend("{{instance}}").instantQuery())
                .mapping("0", "down", "red")
                .mapping("1", "up", "green")
                .colorBackground()
                .width(6),
            Panel.stat("Messages/s")
                .target(
                    prometheus("sum(rate(" + m("vigil_syslog_received_total") + "[5m]))")
                        .instantQuery())
                .unit(Units.COUNTS_PER_SECOND)
                .sparkline()
                .width(6),
            Panel.stat("Journal backlog")
                .description("Bytes accepted but not yet delivered to Loki.")
                .target(prometheus("sum(" + m("vigil_syslog_journal_bytes") + ")").instantQuery())
                .unit(Units.BYTES)
                .sparkline()
                .width(6),
            Panel.stat("Since last successful push")
                .target(
                    prometheus(
                            "time() - max("
                                + m("vigil_syslog_loki_last_success_timestamp_seconds")
                                + ")")
                        .instantQuery())
                .unit(Units.SECONDS)
                .thresholds(Thresholds.base("green").from(60, "yellow").from(300, "red"))
                .colorBackground()
                .width(6))
        .row(
            "Received",
            Panel.timeseries("Received by listener")
                .target(
                    prometheus(
                            "sum by (listener) (rate("
                                + m("vigil_syslog_received_total")
                                + "[5m]))")
                        .legend("{{listener}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Received by source (top 10)")
                .target(
                    prometheus(
                            "topk(10, sum by (source) (rate("
                                + m("vigil_syslog_received_total")
                                + "[5m])))")
                        .legend("{{source}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Parsed by format")
                .target(
                    prometheus(
                            "sum by (listener, format) (rate("
                                + m("vigil_syslog_parsed_total")
                                + "[5m]))")
                        .legend("{{listener}} {{format}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .stacked()
                .width(12),
            Panel.timeseries("Parse errors by source")
                .description("Messages kept whole with a parse-error marker (never dropped).")
                .target(
                    prometheus(
                            "sum by (listener, source) (rate("
                                + m("vigil_syslog_parse_errors_total")
                                + "[5m]))")
                        .legend("{{listener}} {{source}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Dropped and truncated")
                .description(
                    "Dropped: not journaled (full journal for UDP, drop-oldest). Truncated: cut at"
                        + " the size limit, kept.")
                .targets(
                    prometheus(
                            "sum by (listener, reason) (rate("
                                + m("vigil_syslog_dropped_total")
                                + "[5m]))")
                        .legend("dropped {{listener}} {{reason}}"),
                    prometheus(
                            "sum by (listener) (rate("
                                + m("vigil_syslog_truncated_total")
                                + "[5m]))")
                        .legend("truncated {{listener}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Connections")
                .targets(
                    prometheus("sum by (listener) (" + m("vigil_syslog_connections") + ")")
                        .legend("open {{listener}}"),
                    prometheus(
                            "sum by (listener) (rate("
                                + m("vigil_syslog_connections_rejected_total")
                                + "[5m]))")
                        .legend("rejected/s {{listener}}"))
                .width(12))
        .row(
            "Journal and Loki",
            Panel.timeseries("Journal bytes and lag")
                .targets(
                    prometheus("sum(" + m("vigil_syslog_journal_bytes") + ")")
                        .legend("undelivered"),
                    prometheus("sum(" + m("vigil_syslog_journal_lag_bytes") + ")")
                        .legend("not committed"),
                    prometheus("sum(" + m("vigil_syslog_journal_budget_bytes") + ")")
                        .legend("budget"))
                .unit(Units.BYTES)
                .width(12),
            Panel.timeseries("Pushed to Loki")
                .targets(
                    prometheus("sum(rate(" + m("vigil_syslog_loki_pushed_entries_total") + "[5m]))")
                        .legend("entries/s"),
                    prometheus(
                            "sum(rate("
                                + m("vigil_syslog_loki_dead_lettered_entries_total")
                                + "[5m]))")
                        .legend("dead-lettered/s"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Push failures and retries")
                .targets(
                    prometheus(
                            "sum by (reason) (rate("
                                + m("vigil_syslog_loki_push_failures_total")
                                + "[5m]))")
                        .legend("failed {{reason}}"),
                    prometheus("sum(rate(" + m("vigil_syslog_loki_retries_total") + "[5m]))")
                        .legend("retries"))
                .unit(Units.OPS_PER_SECOND)
                .width(12),
            Panel.timeseries("Push throughput")
                .target(
                    prometheus("sum(rate(" + m("vigil_syslog_loki_pushed_bytes_total") + "[5m]))")
                        .legend("compressed"))
                .unit(Units.BYTES_PER_SECOND)
                .width(12))
        .row(
            "Clock skew",
            Panel.timeseries("Event time vs receive time per source")
                .description(
                    "Receive time minus the event time in the message; large values mean a wrong"
                        + " sender clock or delayed delivery.")
                .target(prometheus(m("vigil_syslog_event_skew_seconds")).legend("{{source}}"))
                .unit(Units.SECONDS)
                .width(24))
        .build();
  }
}
