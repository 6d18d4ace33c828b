package dev.vigil.verify;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.http.prometheus.PrometheusClient.PrometheusException;
import dev.vigil.http.prometheus.PrometheusClient.Sample;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks time health from the series the agent's time probe and the chrony exporter export, as
 * Prometheus has scraped them. Each node is identified by its {@code instance} label.
 */
public final class PrometheusChecks {
  private PrometheusChecks() {}

  public static List<Check> run(PrometheusClient prom, TimeThresholds t) {
    List<Check> out = new ArrayList<>();
    String where = "prometheus " + prom;
    try {
      List<Sample> probe = prom.vector("vigil_time_probe_rounds_total");
      List<Sample> chronyUp = prom.vector("chrony_up");
      if (probe.isEmpty() && chronyUp.isEmpty()) {
        out.add(
            new Check(
                where,
                "metrics present",
                Verdict.FAIL,
                "none",
                "vigil_time_* or chrony_*",
                "no time probe and no chrony exporter series; is anything scraped?"));
        return out;
      }
      out.add(
          new Check(
              where,
              "metrics present",
              Verdict.PASS,
              probe.size() + " probes, " + chronyUp.size() + " chrony exporters",
              "",
              ""));
      for (Sample s : chronyUp) {
        if (s.value() != 1) {
          out.add(
              new Check(
                  node(s),
                  "chrony exporter",
                  Verdict.FAIL,
                  "chrony_up 0",
                  "1",
                  "the exporter cannot talk to chronyd"));
        }
      }
      for (Sample s :
          prom.vector(
              "quantile by (instance, node) (0.5, vigil_time_offset_seconds{role=\"upstream\"})")) {
        out.add(
            NtpChecks.offset(
                node(s), "offset (probe)", s.value(), t, "median over upstream servers"));
      }
      for (Sample s :
          prom.vector(
              "chrony_tracking_system_time_seconds or vigil_time_chrony_system_time_seconds")) {
        // chrony's correction is positive when the clock is behind NTP time: the same sign as
        // an SNTP offset (server minus local), so both rows read alike.
        out.add(
            NtpChecks.offset(
                node(s), "offset (chrony)", s.value(), t, "from " + s.label("__name__")));
      }
      for (Sample s : prom.vector("chrony_tracking_stratum or vigil_time_chrony_stratum")) {
        int st = (int) s.value();
        boolean ok = st >= 1 && st <= t.maxStratum();
        out.add(
            new Check(
                node(s),
                "stratum (chrony)",
                ok ? Verdict.PASS : Verdict.FAIL,
                Integer.toString(st),
                "<= " + t.maxStratum(),
                st == 0 || st >= 16 ? "not synchronised" : "",
                (double) st));
      }
      for (Sample s : prom.vector("vigil_time_chrony_leap_status")) {
        boolean unsync = s.value() == 3;
        out.add(
            new Check(
                node(s),
                "leap (chrony)",
                unsync ? Verdict.FAIL : Verdict.PASS,
                unsync ? "not synchronised" : "normal",
                "not unsynchronised",
                "",
                s.value()));
      }
      for (Sample s :
          prom.vector(
              "sum by (instance, node) (chrony_sources_reachability_success) or"
                  + " vigil_time_chrony_sources_reachable or"
                  + " vigil_time_trusted_sources{role=\"upstream\"}")) {
        int n = (int) s.value();
        String from =
            s.label("__name__").isEmpty()
                ? "chrony_sources_reachability_success"
                : s.label("__name__");
        out.add(
            new Check(
                node(s),
                "sources",
                n >= t.minReachableSources() ? Verdict.PASS : Verdict.FAIL,
                Integer.toString(n),
                ">= " + t.minReachableSources(),
                "from " + from,
                (double) n));
      }
      for (Sample s : prom.vector("vigil_time_status{status!=\"ok\"} == 1")) {
        out.add(
            new Check(
                node(s),
                "server " + s.label("server"),
                Verdict.WARN,
                s.label("status"),
                "ok",
                s.label("role") + " server not trusted"));
      }
      double peer = Figures.seconds(t.peerSkew());
      for (Sample s : prom.vector("vigil_time_offset_seconds{role=\"peer\"}")) {
        out.add(
            new Check(
                node(s) + " -> " + s.label("server"),
                "peer skew",
                Math.abs(s.value()) > peer ? Verdict.FAIL : Verdict.PASS,
                Figures.seconds(s.value()),
                "<= " + Figures.duration(t.peerSkew()),
                "",
                s.value()));
      }
      List<Sample> logs = prom.vector("vigil_syslog_event_skew_seconds");
      if (logs.isEmpty()) {
        out.add(
            new Check(
                where,
                "log timestamps",
                Verdict.UNKNOWN,
                "no data",
                "",
                "no vigil_syslog_event_skew_seconds series (syslog gateway not scraped)"));
      }
      double logLimit = Figures.seconds(t.logSkew());
      for (Sample s : logs) {
        out.add(
            new Check(
                node(s) + " <- " + s.label("source"),
                "log timestamps",
                Math.abs(s.value()) > logLimit ? Verdict.FAIL : Verdict.PASS,
                Figures.seconds(s.value()),
                "<= " + Figures.duration(t.logSkew()),
                "event time minus receive time",
                s.value()));
      }
    } catch (PrometheusException e) {
      out.add(new Check(where, "query", Verdict.UNKNOWN, "", "", e.getMessage()));
    }
    return out;
  }

  private static String node(Sample s) {
    String n = s.label("node");
    if (!n.isEmpty()) {
      return n;
    }
    String i = s.label("instance");
    return i.isEmpty() ? "(no instance label)" : i;
  }
}
