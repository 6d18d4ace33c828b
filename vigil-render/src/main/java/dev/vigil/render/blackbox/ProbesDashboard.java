package dev.vigil.render.blackbox;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** Endpoint probes: which answer, how fast, and when their certificates expire. */
public final class ProbesDashboard implements DashboardDefinition {
  public static final String UID = "probes";
  private static final String JOB = "job=\"" + BlackboxExporterRenderer.PROBE_JOB + "\"";

  /** Red under 7 days (the critical alert), yellow under 30 (the warning), green beyond. */
  static final Thresholds CERT_DAYS = Thresholds.base("red").from(7, "yellow").from(30, "green");

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(BlackboxExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Endpoint probes")
        .description(
            "Endpoints probed from inside the cluster by the blackbox exporter: reachability,"
                + " probe time and certificate expiry.")
        .tags("probes", "blackbox")
        .row(
            "Status",
            Panel.stat("Probes succeeding")
                .target(prometheus("sum(probe_success{" + JOB + "})"))
                .thresholds(Thresholds.base("blue")),
            Panel.stat("Probes failing")
                .target(prometheus("count(probe_success{" + JOB + "} == 0) or vector(0)"))
                .thresholds(Thresholds.base("green").from(1, "red"))
                .colorBackground(),
            Panel.stat("Earliest certificate expiry")
                .description("Days until the first TLS certificate seen by any probe expires.")
                .target(
                    prometheus(
                        "min((probe_ssl_earliest_cert_expiry{" + JOB + "} - time()) / 86400)"))
                .unit(Units.SHORT)
                .decimals(1)
                .thresholds(CERT_DAYS)
                .colorBackground())
        .row(
            "Probes",
            Panel.table("Probe results")
                .target(
                    prometheus("probe_success{" + JOB + "}")
                        .legend("{{probe}} {{instance}}")
                        .instantQuery()
                        .asTable())
                .mapping("1", "Up", "green")
                .mapping("0", "Down", "red")
                .width(12),
            Panel.table("Certificates")
                .description("Days until each probed endpoint's earliest certificate expires.")
                .target(
                    prometheus("(probe_ssl_earliest_cert_expiry{" + JOB + "} - time()) / 86400")
                        .legend("{{probe}} {{instance}}")
                        .instantQuery()
                        .asTable())
                .unit(Units.SHORT)
                .decimals(1)
                .thresholds(CERT_DAYS)
                .width(12))
        .row(
            "Over time",
            Panel.timeseries("Probe success")
                .target(prometheus("probe_success{" + JOB + "}").legend("{{probe}} {{instance}}"))
                .range(0, 1)
                .width(12),
            Panel.timeseries("Probe duration")
                .target(
                    prometheus("probe_duration_seconds{" + JOB + "}")
                        .legend("{{probe}} {{instance}}"))
                .unit(Units.SECONDS)
                .width(12))
        .build();
  }
}
