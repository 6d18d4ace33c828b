package dev.vigil.render.alertmanager;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/**
 * Alertmanager itself: alerts in, notifications out per integration and how long they take, the
 * cluster of replicas and its configuration. The alerts it holds are alerts-overview's.
 */
public final class AlertmanagerOverview implements DashboardDefinition {
  public static final String UID = "alertmanager-overview";
  private static final String AM = "job=\"alertmanager\"";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(AlertmanagerRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Alertmanager / Overview")
        .description(
            "Alerts received, notifications sent and failed per integration, their latency, the replicas' cluster and configuration.")
        .tags("alerting")
        .row(
            "Alertmanager",
            Panel.stat("Replicas up")
                .target(prometheus("sum(up{" + AM + "})"))
                .thresholds(Thresholds.base("red").from(1, "green")),
            Panel.stat("Active alerts")
                .target(prometheus("max(alertmanager_alerts{" + AM + ",state=\"active\"})")),
            Panel.stat("Suppressed alerts")
                .description("Silenced or inhibited.")
                .target(prometheus("max(alertmanager_alerts{" + AM + ",state=\"suppressed\"})")),
            Panel.stat("Active silences")
                .target(prometheus("max(alertmanager_silences{" + AM + ",state=\"active\"})")),
            Panel.stat("Configurations")
                .description(
                    "Distinct configurations across the replicas; more than one is AlertmanagerConfigInconsistent.")
                .target(
                    prometheus(
                        "count(count_values(\"hash\", alertmanager_config_hash{" + AM + "}))"))
                .thresholds(Thresholds.base("green").from(2, "red")),
            Panel.stat("Cluster members")
                .target(prometheus("max(alertmanager_cluster_members{" + AM + "})")))
        .row(
            "Notifications",
            Panel.timeseries("Alerts received")
                .target(
                    prometheus(
                            "sum by (status) (rate(alertmanager_alerts_received_total{"
                                + AM
                                + "}[$__rate_interval]))")
                        .legend("{{status}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Notifications sent by integration")
                .target(
                    prometheus(
                            "sum by (integration) (rate(alertmanager_notifications_total{"
                                + AM
                                + "}[$__rate_interval]))")
                        .legend("{{integration}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Notifications failed by integration")
                .description("AlertmanagerNotificationsFailing fires above 1% of the sent ones.")
                .target(
                    prometheus(
                            "sum by (integration) (rate(alertmanager_notifications_failed_total{"
                                + AM
                                + "}[$__rate_interval]))")
                        .legend("{{integration}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Notification latency, 99th percentile")
                .target(
                    prometheus(
                            "histogram_quantile(0.99, sum by (integration, le) (rate(alertmanager_notification_latency_seconds_bucket{"
                                + AM
                                + "}[$__rate_interval])))")
                        .legend("{{integration}}"))
                .unit(Units.SECONDS))
        .build();
  }
}
