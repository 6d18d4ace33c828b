package dev.vigil.render.alertmanager;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.FieldOverride;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Target;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Transformation;
import dev.vigil.render.grafana.dashboard.Units;
import dev.vigil.render.grafana.dashboard.ValueMapping;
import dev.vigil.render.prometheus.PrometheusRenderer;
import java.util.Set;

/** What is firing now, by severity, and whether Alertmanager delivers the notifications. */
public final class AlertsOverview implements DashboardDefinition {
  public static final String UID = "alerts-overview";

  /** Scrape job of Alertmanager's own series. */
  private static final String AM = "job=\"alertmanager\"";

  /** Always-firing alerts that only prove the pipeline works; they are not problems. */
  static final String PIPELINE_ALERTS = "alertname!~\"Watchdog|InfoInhibitor\"";

  private static final String FIRING = "ALERTS{alertstate=\"firing\"," + PIPELINE_ALERTS + "}";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(PrometheusRenderer.NAME, AlertmanagerRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Alerts overview")
        .description("Firing alerts by severity and Alertmanager notification delivery.")
        .tags("alerts")
        .row(
            "Firing",
            Panel.stat("Firing alerts by severity")
                .targets(severityCount("critical"), severityCount("warning"), severityCount("info"))
                .override(severityColour("critical", "red"))
                .override(severityColour("warning", "orange"))
                .override(severityColour("info", "blue"))
                .colorBackground()
                .width(12),
            Panel.stat("Pending alerts")
                .description("Alerts whose condition holds but whose `for` time has not passed.")
                .target(prometheus("count(ALERTS{alertstate=\"pending\"}) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "yellow")),
            Panel.stat("Active in Alertmanager")
                .target(prometheus("max(alertmanager_alerts{" + AM + ",state=\"active\"})")),
            Panel.stat("Silenced or inhibited")
                .target(prometheus("max(alertmanager_alerts{" + AM + ",state=\"suppressed\"})")),
            Panel.timeseries("Firing alerts over time")
                .target(prometheus("sum by (severity) (" + FIRING + ")").legend("{{severity}}"))
                .unit(Units.SHORT)
                .stacked()
                .override(FieldOverride.byName("critical").color("red"))
                .override(FieldOverride.byName("warning").color("orange"))
                .override(FieldOverride.byName("info").color("blue"))
                .width(24))
        .row("Firing alerts", firingTable())
        .row(
            "Notifications",
            Panel.timeseries("Notifications sent")
                .target(
                    prometheus(
                            "sum by (integration) ("
                                + "rate(alertmanager_notifications_total{"
                                + AM
                                + "}[$__rate_interval]))")
                        .legend("{{integration}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.timeseries("Notifications failed")
                .description("Any failure means a receiver did not get an alert.")
                .target(
                    prometheus(
                            "sum by (integration) ("
                                + "rate(alertmanager_notifications_failed_total{"
                                + AM
                                + "}[$__rate_interval]))")
                        .legend("{{integration}}"))
                .unit(Units.OPS_PER_SECOND)
                .thresholds(Thresholds.base("green").from(0.0001, "red"))
                .showThresholds())
        .build();
  }

  private static Target severityCount(String severity) {
    return prometheus(
            "count(ALERTS{alertstate=\"firing\",severity=\""
                + severity
                + "\","
                + PIPELINE_ALERTS
                + "}) or vector(0)")
        .legend(severity);
  }

  /** Zero stays green; one or more firing takes the severity's colour. */
  private static FieldOverride severityColour(String severity, String colour) {
    return FieldOverride.byName(severity).thresholds(Thresholds.base("green").from(1, colour));
  }

  private static Panel.Builder firingTable() {
    return Panel.table("Firing alerts")
        .target(prometheus(FIRING).asTable())
        .transform(
            Transformation.organize()
                .hide("Time", "Value", "__name__", "alertstate")
                .order("alertname", "severity", "namespace", "instance", "job")
                .rename("alertname", "Alert")
                .rename("severity", "Severity")
                .build())
        .override(
            FieldOverride.byName("Severity")
                .mappings(
                    ValueMapping.of("critical", "critical", "red"),
                    ValueMapping.of("warning", "warning", "orange"),
                    ValueMapping.of("info", "info", "blue"))
                .colorBackground())
        .sortBy("Severity", false)
        .height(10);
  }
}
