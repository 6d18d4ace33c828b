package dev.vigil.verify;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.time.TimeSpec;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import dev.vigil.time.NtpMeasurement;
import dev.vigil.time.NtpServer;
import dev.vigil.time.SntpClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  @Option(
      names = {"-f", "--file"},
      paramLabel = "vigil.yaml",
      description = "Spec: measure every node at time.probe.peerPort and take its thresholds.")
  Path specFile;

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
      converter = TimeThresholdOptions.DurationConverter.class,
      description = "Wait per NTP reply or Prometheus query (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format output;

  enum Format {
    table,
    json
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (servers.isEmpty() && prometheus == null && specFile == null) {
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
    if (specFile != null) {
      Bound<Station> bound;
      try {
        bound = SpecLoader.load(specFile, List.of());
      } catch (SpecLoader.SpecFileException e) {
        err.println("vigil verify time: " + e.getMessage());
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
      if (!bound.ok()) {
        for (Problem p : bound.problems()) {
          err.println(p);
        }
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
      Station station = bound.value();
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
    if (!targets.isEmpty()) {
      checks.addAll(measureAll(targets, t));
    }
    if (prometheus != null) {
      PrometheusQuery q;
      try {
        q = new PrometheusQuery(prometheus, timeout);
      } catch (IllegalArgumentException e) {
        err.println("vigil verify time: " + e.getMessage());
        err.flush();
        return Verdict.UNKNOWN.exitCode();
      }
      checks.addAll(PrometheusChecks.run(q, t));
    }
    Verdict overall = Check.overall(checks);
    if (output == Format.json) {
      Report.json(out, checks, overall);
    } else {
      Report.table(out, checks, overall);
    }
    return overall.exitCode();
  }

  private List<Check> measureAll(Map<String, NtpServer> targets, TimeThresholds t) {
    SntpClient client =
        SntpClient.builder()
            .samples(samples)
            .timeout(timeout)
            .spacing(Duration.ofMillis(250))
            .build();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(8, targets.size()),
            r -> {
              Thread th = new Thread(r, "vigil-verify-time");
              th.setDaemon(true);
              return th;
            });
    Map<String, Future<NtpMeasurement>> futures = new LinkedHashMap<>();
    targets.forEach((name, server) -> futures.put(name, pool.submit(() -> client.measure(server))));
    Map<String, NtpMeasurement> results = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Future<NtpMeasurement>> e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          throw new IllegalStateException("measuring " + e.getKey() + " failed", ex.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    boolean anyAnswered = results.values().stream().anyMatch(NtpMeasurement::reachable);
    List<Check> out = new ArrayList<>();
    results.forEach(
        (name, m) -> {
          String label = name.equals(m.server().toString()) ? name : name + " (" + m.server() + ")";
          for (Check c : NtpChecks.of(label, m, t)) {
            // When no server answered at all, nothing was checked: report "could not check".
            out.add(
                anyAnswered
                    ? c
                    : new Check(
                        c.target(),
                        c.check(),
                        Verdict.UNKNOWN,
                        c.measured(),
                        c.limit(),
                        c.detail()));
          }
        });
    if (anyAnswered) {
      out.add(NtpChecks.sources(new ArrayList<>(results.values()), t));
    }
    return out;
  }
}
