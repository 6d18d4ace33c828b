package dev.vigil.cli;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.time.TimeSpec;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import dev.vigil.time.NtpServer;
import dev.vigil.verify.Check;
import dev.vigil.verify.CheckReport;
import dev.vigil.verify.NtpSurvey;
import dev.vigil.verify.PrometheusChecks;
import dev.vigil.verify.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil verify time}: is time trustworthy? Measures NTP servers directly, reads what the
 * agents and chrony exporters exported to Prometheus, or measures every node of the spec.
 */
@Command(
    name = "time",
    mixinStandardHelpOptions = true,
    description = {
      "Check clock offset, stratum, leap status, reachable sources, exported metrics and log"
          + " timestamps against thresholds.",
      "Formats (-o): table (default), json.",
      "Exit 0 pass (warnings included), 1 a check failed, 2 nothing could be checked."
    })
public final class VerifyTimeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "HOST[:PORT]",
      description = "NTP server to measure directly (repeatable).")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description = "Prometheus to read vigil_time_* and chrony_* series from.")
  String prometheus;

  /** With a spec: measure every node at time.probe.peerPort and take its thresholds. */
  @Mixin SpecOptions specOptions;

  @Mixin TimeThresholdOptions thresholds = new TimeThresholdOptions();

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "NTP requests per server; the minimum-delay reply is kept (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Wait per NTP reply or Prometheus query (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String output = format.resolve(spec, "table", List.of("table", "json"), null);
    if (servers.isEmpty() && prometheus == null && !specOptions.given()) {
      err.println(
          "vigil verify time: nothing to check; give --server, --prometheus or -f vigil.yaml");
      err.flush();
      return Verdict.UNKNOWN.exitCode();
    }
    if (samples < 1 || samples > 16) {
      err.println("vigil verify time: --samples must be between 1 and 16, got " + samples);
      err.flush();
      return Verdict.UNKNOWN.exitCode();
    }
    TimeThresholds base = TimeThresholds.defaults();
    Map<String, NtpServer> targets = new LinkedHashMap<>();
    if (specOptions.given()) {
      Optional<Station> loaded = specOptions.load(err);
      if (loaded.isEmpty()) {
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
      Station station = loaded.get();
      TimeSpec time = station.time() != null ? station.time() : null;
      int port = 123;
      if (time != null) {
        base = time.thresholds();
        port = time.probe().peerPort();
      }
      if (station.nodes() != null) {
        for (Node n : station.nodes()) {
          targets.put(n.name(), new NtpServer(n.address().text(), port));
        }
      }
    }
    for (String s : servers) {
      try {
        NtpServer server = NtpServer.parse(s);
        targets.put(server.toString(), server);
      } catch (IllegalArgumentException e) {
        err.println("vigil verify time: --server " + s + ": " + e.getMessage());
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
    }
    TimeThresholds t;
    try {
      t = thresholds.resolve(base);
      List<String> problems = new ArrayList<>();
      t.validate((field, message) -> problems.add(field + " " + message));
      if (!problems.isEmpty()) {
        err.println("vigil verify time: invalid thresholds: " + String.join("; ", problems));
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil verify time: " + e.getMessage());
      err.flush();
      return Verdict.UNKNOWN.exitCode();
    }

    List<Check> checks = new ArrayList<>();
    checks.addAll(NtpSurvey.measure(targets, t, samples, timeout));
    if (prometheus != null) {
      PrometheusClient q;
      try {
        q = new PrometheusClient(prometheus, timeout);
      } catch (IllegalArgumentException e) {
        err.println("vigil verify time: --prometheus: " + e.getMessage());
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
      checks.addAll(PrometheusChecks.run(q, t));
    }
    Verdict overall = Check.overall(checks);
    if (output.equals("json")) {
      CheckReport.json(out, checks, overall);
    } else {
      CheckReport.table(out, checks, overall);
    }
    return overall.exitCode();
  }
}
