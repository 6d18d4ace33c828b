package dev.vigil.render.chrony;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import java.time.Duration;

/**
 * "Time sync": every node's offset against the spec's thresholds from both views (chrony's own
 * through the exporter, the agent's SNTP probe), the kernel's view (timex), stratum and sources,
 * node-to-node skew and the skew of syslog event times against receive times.
 */
public final class TimeSyncDashboard {
  public static final String UID = "time-sync";

  private static final String EXPORTER = "job=\"" + ChronyRenderer.SCRAPE_JOB + "\"";

  private TimeSyncDashboard() {}

  public static Dashboard build(TimeThresholds t) {
    double warn = seconds(t.offsetWarning());
    double crit = seconds(t.offsetCritical());
    Thresholds offset = Thresholds.base("green").from(warn, "yellow").from(crit, "red");
    return Dashboard.builder(UID, "Time sync")
        .description(
            "Clock offset, stratum and sources of every node (chrony and the agent's probe),"
                + " node-to-node skew and syslog timestamp skew.")
        .tags("time", "chrony")
        .row(
            "Offset",
            Panel.timeseries("Offset per node (chrony)")
                .description(
                    "chrony's current correction of each node's clock, as an absolute value."
                        + " Lines: warning and critical offset thresholds of the spec.")
                .target(
                    prometheus("abs(chrony_tracking_system_time_seconds{" + EXPORTER + "})")
                        .legend("{{instance}}"))
                .unit(Units.SECONDS)
                .thresholds(offset)
                .showThresholds()
                .legendTable("lastNotNull", "max")
                .width(12),
            Panel.timeseries("Offset to upstream per node (agent probe)")
                .description(
                    "Median offset of the upstream servers as the agent measures them over SNTP;"
                        + " independent of chrony.")
                .target(
                    prometheus(
                            "abs(quantile by (instance) (0.5,"
                                + " vigil_time_offset_seconds{role=\"upstream\"}))")
                        .legend("{{instance}}"))
                .unit(Units.SECONDS)
                .thresholds(offset)
                .showThresholds()
                .legendTable("lastNotNull", "max")
                .width(12),
            Panel.timeseries("Kernel clock offset (timex)")
                .description("The kernel's own estimate of its offset, from node-exporter.")
                .target(prometheus("node_timex_offset_seconds").legend("{{instance}}"))
                .unit(Units.SECONDS)
                .width(12),
            Panel.stat("Kernel synchronised (timex)")
                .description(
                    "1 when the kernel considers its clock synchronised; needs rtcsync or an NTP"
                        + " daemon that clears the unsynchronised flag.")
                .target(
                    prometheus("min by (instance) (node_timex_sync_status)")
                        .legend("{{instance}}")
                        .instantQuery())
                .mapping("0", "not synchronised", "red")
                .mapping("1", "synchronised", "green")
                .colorBackground()
                .width(12))
        .row(
            "chrony",
            Panel.stat("Stratum")
                .description("chrony's stratum per node; 0 while not synchronised.")
                .target(
                    prometheus("chrony_tracking_stratum{" + EXPORTER + "}")
                        .legend("{{instance}}")
                        .instantQuery())
                .thresholds(
                    Thresholds.base("red").from(1, "green").from(t.maxStratum() + 1, "orange"))
                .colorBackground()
                .width(8),
            Panel.stat("Reachable sources")
                .description("Sources that answered their last poll, per node.")
                .target(
                    prometheus(
                            "sum by (instance) (chrony_sources_reachability_success{"
                                + EXPORTER
                                + "})")
                        .legend("{{instance}}")
                        .instantQuery())
                .thresholds(
                    Thresholds.base("red").from(Math.max(1, t.minReachableSources()), "green"))
                .colorBackground()
                .width(8),
            Panel.stat("Exporter up")
                .description("1 when the exporter can talk to chronyd on the node.")
                .target(
                    prometheus("chrony_up{" + EXPORTER + "}").legend("{{instance}}").instantQuery())
                .mapping("0", "down", "red")
                .mapping("1", "up", "green")
                .colorBackground()
                .width(8),
            Panel.timeseries("Tracking: last offset and RMS offset")
                .description("Offset at chrony's last clock update and its long-term average.")
                .targets(
                    prometheus("chrony_tracking_last_offset_seconds{" + EXPORTER + "}")
                        .legend("{{instance}} last"),
                    prometheus("chrony_tracking_rms_offset_seconds{" + EXPORTER + "}")
                        .legend("{{instance}} rms"))
                .unit(Units.SECONDS)
                .width(12),
            Panel.timeseries("Root delay and dispersion")
                .description(
                    "Distance to the stratum-1 root: the bound on how wrong the clock can be.")
                .targets(
                    prometheus("chrony_tracking_root_delay_seconds{" + EXPORTER + "}")
                        .legend("{{instance}} delay"),
                    prometheus("chrony_tracking_root_dispersion_seconds{" + EXPORTER + "}")
                        .legend("{{instance}} dispersion"))
                .unit(Units.SECONDS)
                .width(12),
            Panel.table("Sources")
                .description("Per node and source: reachability over the last 8 polls.")
                .target(prometheus("chrony_sources_reachability_ratio{" + EXPORTER + "}").asTable())
                .unit(Units.PERCENT_UNIT)
                .width(24))
        .row(
            "Skew",
            Panel.timeseries("Node-to-node skew")
                .description(
                    "Other nodes' clocks against each node's, measured by the agents' peer mesh."
                        + " Line: the spec's peer skew threshold.")
                .target(
                    prometheus("abs(vigil_time_offset_seconds{role=\"peer\"})")
                        .legend("{{instance}} → {{server}}"))
                .unit(Units.SECONDS)
                .thresholds(Thresholds.base("green").from(seconds(t.peerSkew()), "red"))
                .showThresholds()
                .width(12),
            Panel.timeseries("Syslog event time vs receive time")
                .description(
                    "Receive time minus the event time a device put in its message, per source."
                        + " Line: the spec's log skew threshold.")
                .target(prometheus("abs(vigil_syslog_event_skew_seconds)").legend("{{source}}"))
                .unit(Units.SECONDS)
                .thresholds(Thresholds.base("green").from(seconds(t.logSkew()), "red"))
                .showThresholds()
                .width(12),
            Panel.timeseries("Round-trip delay to time servers")
                .description(
                    "Mean NTP round-trip delay of the agent's trusted samples per server,"
                        + " over five minutes.")
                .target(
                    prometheus(
                            "rate(vigil_time_delay_seconds_sum[5m]) / rate(vigil_time_delay_seconds_count[5m])")
                        .legend("{{instance}} → {{server}}"))
                .unit(Units.SECONDS)
                .width(24))
        .build();
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
