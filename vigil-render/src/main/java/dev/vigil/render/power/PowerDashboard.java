package dev.vigil.render.power;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Units;

/**
 * "Power": each node's state and idle time, wakes (results and latency), suppressed wake storms,
 * sleeps and every activity check's verdict, from the power manager's metrics.
 */
public final class PowerDashboard {
  public static final String UID = "power";

  private PowerDashboard() {}

  public static Dashboard build() {
    return Dashboard.builder(UID, "Power")
        .description(
            "Autosleep and Wake-on-LAN: node states, why nodes stay awake, wake results and"
                + " latency, suppressed wake storms.")
        .tags("power")
        .row(
            "Nodes",
            Panel.table("Node state")
                .description("Current state per node: awake, idle, sleeping, waking, unknown.")
                .target(prometheus("max by (node, state) (vigil_power_node_state == 1)").asTable())
                .width(12),
            Panel.timeseries("Idle time per node")
                .description("How long every activity check has been idle (monotonic clock).")
                .target(
                    prometheus("max by (node) (vigil_power_node_idle_seconds)").legend("{{node}}"))
                .unit(Units.SECONDS)
                .width(12),
            Panel.table("Activity check verdicts")
                .description(
                    "Latest verdict of each check: active keeps the node awake; error counts as"
                        + " active unless configured otherwise.")
                .target(
                    prometheus("max by (node, check, verdict) (vigil_power_check_verdict == 1)")
                        .asTable())
                .width(24))
        .row(
            "Wakes and sleeps",
            Panel.timeseries("Wakes by result")
                .target(
                    prometheus("sum by (node, result) (increase(vigil_power_wakes_total[1h]))")
                        .legend("{{node}} {{result}}"))
                .bars()
                .width(12),
            Panel.timeseries("Wake latency (90th percentile, 6h)")
                .description(
                    "First magic packet to the node answering, over the successful wakes of"
                        + " the last six hours.")
                .target(
                    prometheus(
                            "histogram_quantile(0.9, sum by (le, node) (rate(vigil_power_wake_latency_seconds_bucket[6h])))")
                        .legend("{{node}}"))
                .unit(Units.SECONDS)
                .width(12),
            Panel.timeseries("Suppressed wakes (storm guard)")
                .description("Wake requests dropped because a wake was in flight or backing off.")
                .target(
                    prometheus(
                            "sum by (node, why) (increase(vigil_power_wakes_suppressed_total[1h]))")
                        .legend("{{node}} {{why}}"))
                .bars()
                .width(12),
            Panel.timeseries("Sleeps")
                .target(
                    prometheus("sum by (node, dry_run) (increase(vigil_power_sleeps_total[1h]))")
                        .legend("{{node}} dry run={{dry_run}}"))
                .bars()
                .width(12))
        .build();
  }
}
