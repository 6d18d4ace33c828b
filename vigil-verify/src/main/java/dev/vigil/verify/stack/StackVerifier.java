package dev.vigil.verify.stack;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.render.alertmanager.AlertmanagerRenderer;
import dev.vigil.render.grafana.GrafanaRenderer;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.time.TimeSpec;
import dev.vigil.time.NtpServer;
import dev.vigil.verify.Check;
import dev.vigil.verify.NtpSurvey;
import dev.vigil.verify.PrometheusChecks;
import dev.vigil.verify.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil verify}: the seeds' validation checklists as checks against the live stack — the
 * cluster (workloads, claims, restarts), Prometheus, Alertmanager, Loki and the syslog path,
 * Grafana, and time on every node — each with the figure it saw.
 */
public final class StackVerifier {
  /**
   * @param requestTimeout each HTTP request's bound
   * @param logWindow how recent a source's newest Loki entry must be
   * @param syslogBound how long the end-to-end syslog message may take to show in Loki
   * @param grafanaAuth headers that log in to Grafana (empty: anonymous)
   * @param time whether to measure every node's clock as {@code vigil verify time} does
   */
  public record Options(
      Duration requestTimeout,
      Duration logWindow,
      Duration syslogBound,
      Map<String, String> grafanaAuth,
      boolean time,
      int ntpSamples) {}

  static final Duration NTP_TIMEOUT = Duration.ofSeconds(2);

  private StackVerifier() {}

  public static List<Check> verify(
      Expectations ex,
      Reach reach,
      KubeApi kube,
      String kubeProblem,
      Options o,
      Clock clock,
      LokiChecks.Pause pause) {
    List<Check> out = new ArrayList<>();
    String ns = ex.namespace();
    ServiceHttp http = new ServiceHttp(o.requestTimeout());
    if (kube != null) {
      out.addAll(KubeChecks.run(kube, ex, clock));
    } else {
      out.add(
          new Check(
              "kubernetes", "workloads", Verdict.UNKNOWN, "", "", "not checked: " + kubeProblem));
    }

    PrometheusClient prom = null;
    if (ex.enabled(PrometheusRenderer.NAME)) {
      try {
        String url =
            reach.url(
                "prometheus", "service", ns, PrometheusRenderer.NAME, PrometheusRenderer.PORT);
        prom = new PrometheusClient(url, o.requestTimeout());
        out.addAll(PrometheusStackChecks.run(prom, ex));
      } catch (Reach.Unreachable e) {
        out.add(new Check("prometheus", "reachable", Verdict.UNKNOWN, "", "", e.getMessage()));
      }
    }

    if (ex.enabled(AlertmanagerRenderer.NAME)) {
      List<AlertmanagerChecks.Instance> instances = new ArrayList<>();
      try {
        if (reach.given("alertmanager")) {
          instances.add(
              new AlertmanagerChecks.Instance(
                  "alertmanager",
                  reach.url(
                      "alertmanager",
                      "service",
                      ns,
                      AlertmanagerRenderer.NAME,
                      AlertmanagerRenderer.PORT)));
        } else {
          // Each replica on its own: only they can say whether they see each other.
          for (int i = 0; i < Math.max(1, ex.replicas(AlertmanagerRenderer.NAME)); i++) {
            String pod = AlertmanagerRenderer.NAME + "-" + i;
            instances.add(
                new AlertmanagerChecks.Instance(
                    pod, reach.url(pod, "pod", ns, pod, AlertmanagerRenderer.PORT)));
          }
        }
        out.addAll(AlertmanagerChecks.run(instances, ex, http, prom));
      } catch (Reach.Unreachable e) {
        out.add(new Check("alertmanager", "reachable", Verdict.UNKNOWN, "", "", e.getMessage()));
      }
    }

    if (ex.enabled(LokiRenderer.NAME)) {
      try {
        String loki = reach.url("loki", "service", ns, LokiRenderer.NAME, LokiRenderer.PORT);
        out.addAll(LokiChecks.run(loki, ex, http, clock, o.logWindow()));
        if (ex.syslogTcpPort().isPresent()) {
          String syslog;
          try {
            syslog =
                reach.given("syslog")
                    ? reach.url("syslog", "pod", "", "", 0)
                    : hostPort(
                        reach.url(
                            "syslog",
                            "pod",
                            ex.station().cluster().infraNamespace(),
                            "syslog-gateway-0",
                            ex.syslogTcpPort().get()));
            out.add(
                LokiChecks.syslogEndToEnd(syslog, loki, ex, http, clock, o.syslogBound(), pause));
          } catch (Reach.Unreachable e) {
            out.add(
                new Check(
                    "syslog-gateway",
                    "syslog gateway to Loki",
                    Verdict.UNKNOWN,
                    "",
                    "",
                    e.getMessage()));
          }
        }
      } catch (Reach.Unreachable e) {
        out.add(new Check("loki", "reachable", Verdict.UNKNOWN, "", "", e.getMessage()));
      }
    }

    if (ex.enabled(GrafanaRenderer.NAME)) {
      try {
        String grafana =
            reach.url("grafana", "service", ns, GrafanaRenderer.NAME, GrafanaRenderer.PORT);
        out.addAll(GrafanaChecks.run(grafana, ex, http, o.grafanaAuth()));
      } catch (Reach.Unreachable e) {
        out.add(new Check("grafana", "reachable", Verdict.UNKNOWN, "", "", e.getMessage()));
      }
    }

    Station st = ex.station();
    TimeSpec time = st.time();
    if (o.time() && time != null && time.enabled() && st.nodes() != null && !st.nodes().isEmpty()) {
      Map<String, NtpServer> nodes = new LinkedHashMap<>();
      for (Node n : st.nodes()) {
        nodes.put(n.name(), new NtpServer(n.address().text(), time.probe().peerPort()));
      }
      // An NTP reply comes within milliseconds or not at all: the HTTP bound would stall every
      // silent node.
      out.addAll(NtpSurvey.measure(nodes, time.thresholds(), o.ntpSamples(), NTP_TIMEOUT));
      if (prom != null) {
        out.addAll(PrometheusChecks.run(prom, time.thresholds()));
      }
    }
    return out;
  }

  private static String hostPort(String url) {
    return url.replaceFirst("^[a-z]+://", "").replaceAll("/+$", "");
  }
}
