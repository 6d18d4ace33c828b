package dev.vigil.render.loki;

import static dev.vigil.render.grafana.dashboard.Target.loki;
import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.alloy.AlloyRenderer;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.prometheus.PrometheusRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Log volume, errors and the log streams of applications, the system and the monitoring stack. */
public final class LokiLogs implements DashboardDefinition {
  public static final String UID = "loki-logs";

  /** Scrape job of Loki's own series. */
  private static final String LOKI_JOB = "job=\"loki\"";

  /** Scrape job of the Alloy agents' series. */
  private static final String ALLOY_JOB = "job=\"alloy\"";

  /** Namespace the monitoring stack runs in. */
  public static final String MONITORING_NAMESPACE = "monitoring";

  /** Namespaces whose pods are the cluster's own, not applications. */
  public static final String SYSTEM_NAMESPACES =
      "kube-system|kube-public|kube-node-lease|" + MONITORING_NAMESPACE;

  /** Case-insensitive line filter for error lines. */
  public static final String ERROR_FILTER = "|~ \"(?i)error|fail|exception\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(LokiRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    Dashboard.Builder d =
        Dashboard.builder(UID, "Loki logs")
            .description(
                "Log volume and error rate by namespace, and the logs of applications, the"
                    + " system (kube-system and the systemd journal) and the monitoring stack.")
            .tags("logs", "loki")
            .timeFrom("now-1h")
            .row(
                "Volume",
                Panel.timeseries("Log volume by namespace")
                    .target(
                        loki("sum by (namespace) (count_over_time({namespace=~\".+\"} [$__auto]))")
                            .legend("{{namespace}}"))
                    .unit(Units.SHORT)
                    .bars()
                    .stacked(),
                Panel.timeseries("Error log rate")
                    .description("Lines per second matching error, fail or exception.")
                    .targets(
                        loki("sum by (namespace) (rate({namespace=~\".+\"} "
                                + ERROR_FILTER
                                + " [$__auto]))")
                            .legend("{{namespace}}"),
                        loki("sum by (node) (rate({job=\"systemd-journal\"} "
                                + ERROR_FILTER
                                + " [$__auto]))")
                            .legend("journal {{node}}"))
                    .unit(Units.COUNTS_PER_SECOND)
                    .thresholds(Thresholds.base("green").from(1, "yellow").from(5, "red"))
                    .showThresholds());
    if (enabled.contains(PrometheusRenderer.NAME)) {
      d.row("Ingestion", ingestionPanels(enabled.contains(AlloyRenderer.NAME)));
    }
    return d.row(
            "Application logs",
            Panel.logs("Application logs")
                .description("Pods outside " + SYSTEM_NAMESPACES.replace("|", ", ") + ".")
                .target(loki("{namespace=~\".+\",namespace!~\"" + SYSTEM_NAMESPACES + "\"}"))
                .height(12))
        .row(
            "System logs",
            Panel.logs("System logs")
                .description("kube-system pods and the systemd journal of every node.")
                .targets(loki("{namespace=\"kube-system\"}"), loki("{job=\"systemd-journal\"}"))
                .height(12))
        .row(
            "Monitoring stack logs",
            Panel.logs("Monitoring stack logs")
                .target(loki("{namespace=\"" + MONITORING_NAMESPACE + "\"}"))
                .height(12))
        .build();
  }

  private static Panel.Builder[] ingestionPanels(boolean alloy) {
    // Three or four panels share the row evenly.
    int width = alloy ? 6 : 8;
    List<Panel.Builder> panels = new ArrayList<>();
    panels.add(
        Panel.timeseries("Loki ingestion rate")
            .description("Bytes per second the Loki distributor accepts.")
            .target(
                prometheus(
                        "sum(rate(loki_distributor_bytes_received_total{"
                            + LOKI_JOB
                            + "}[$__rate_interval]))")
                    .legend("bytes"))
            .unit(Units.BYTES_PER_SECOND)
            .width(width));
    panels.add(
        Panel.timeseries("Loki lines received")
            .target(
                prometheus(
                        "sum(rate(loki_distributor_lines_received_total{"
                            + LOKI_JOB
                            + "}[$__rate_interval]))")
                    .legend("lines"))
            .unit(Units.COUNTS_PER_SECOND)
            .width(width));
    panels.add(
        Panel.timeseries("Loki samples discarded")
            .description(
                "Lines Loki rejected, by reason: rate or stream limits, lines too long, too old.")
            .target(
                prometheus(
                        "sum by (reason) (rate(loki_discarded_samples_total{"
                            + LOKI_JOB
                            + "}[$__rate_interval]))")
                    .legend("{{reason}}"))
            .unit(Units.COUNTS_PER_SECOND)
            .thresholds(Thresholds.base("green").from(0.0001, "red"))
            .width(width));
    if (alloy) {
      panels.add(
          Panel.timeseries("Log agent entries sent and dropped")
              .description("Entries the Alloy agents sent to Loki, and those they dropped.")
              .targets(
                  prometheus(
                          "sum(rate(loki_write_sent_entries_total{"
                              + ALLOY_JOB
                              + "}[$__rate_interval]))")
                      .legend("sent"),
                  prometheus(
                          "sum by (reason)"
                              + " (rate(loki_write_dropped_entries_total{"
                              + ALLOY_JOB
                              + "}[$__rate_interval]))")
                      .legend("dropped {{reason}}"))
              .unit(Units.COUNTS_PER_SECOND)
              .width(width));
    }
    return panels.toArray(new Panel.Builder[0]);
  }
}
