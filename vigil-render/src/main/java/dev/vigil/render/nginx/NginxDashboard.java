package dev.vigil.render.nginx;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/**
 * NGINX servers from their stub_status page: reachability, requests, connections by state, drops.
 */
public final class NginxDashboard implements DashboardDefinition {
  public static final String UID = "nginx";
  private static final String N = "job=\"" + NginxExporterRenderer.JOB + "\"";

  static final String DROPPED =
      "rate(nginx_connections_accepted{"
          + N
          + "}[5m]) - rate(nginx_connections_handled{"
          + N
          + "}[5m])";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(NginxExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "NGINX")
        .description(
            "NGINX servers watched through their stub_status page: reachability, requests, connections"
                + " by state, connections dropped for lack of worker connections.")
        .tags("nginx", "web")
        .row(
            "Status",
            Panel.stat("Server up")
                .target(prometheus("nginx_up{" + N + "}").legend("{{instance}}"))
                .mapping("1", "Up", "green")
                .mapping("0", "Down", "red")
                .colorBackground(),
            Panel.stat("Request rate")
                .target(
                    prometheus("rate(nginx_http_requests_total{" + N + "}[5m])")
                        .legend("{{instance}}"))
                .unit(Units.OPS_PER_SECOND),
            Panel.stat("Active connections")
                .target(prometheus("nginx_connections_active{" + N + "}").legend("{{instance}}"))
                .unit(Units.SHORT))
        .row(
            "Traffic",
            Panel.timeseries("Requests")
                .target(
                    prometheus("rate(nginx_http_requests_total{" + N + "}[5m])")
                        .legend("{{instance}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12),
            Panel.timeseries("Connections by state")
                .description("Reading a request header, writing a response, or idle in keep-alive.")
                .target(
                    prometheus("nginx_connections_reading{" + N + "}")
                        .legend("{{instance}} reading"))
                .target(
                    prometheus("nginx_connections_writing{" + N + "}")
                        .legend("{{instance}} writing"))
                .target(
                    prometheus("nginx_connections_waiting{" + N + "}")
                        .legend("{{instance}} waiting"))
                .stacked()
                .unit(Units.SHORT)
                .width(12))
        .row(
            "Connections",
            Panel.timeseries("Accepted and handled")
                .target(
                    prometheus("rate(nginx_connections_accepted{" + N + "}[5m])")
                        .legend("{{instance}} accepted"))
                .target(
                    prometheus("rate(nginx_connections_handled{" + N + "}[5m])")
                        .legend("{{instance}} handled"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12),
            Panel.timeseries("Dropped")
                .description(
                    "Connections accepted but closed unhandled: no worker connection slot was free.")
                .target(prometheus(DROPPED).legend("{{instance}}"))
                .unit(Units.COUNTS_PER_SECOND)
                .width(12))
        .build();
  }
}
