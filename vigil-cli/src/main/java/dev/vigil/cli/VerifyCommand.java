package dev.vigil.cli;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import dev.vigil.spec.model.Station;
import dev.vigil.verify.Check;
import dev.vigil.verify.CheckReport;
import dev.vigil.verify.Verdict;
import dev.vigil.verify.stack.Expectations;
import dev.vigil.verify.stack.Reach;
import dev.vigil.verify.stack.StackVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vigil verify}: the stack's validation checklists against the live cluster; {@code vigil
 * verify time} checks clocks alone.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check the live stack: workloads ready, claims bound, no pod restarting in a loop; every scrape job up, every"
          + " rule group loaded, TSDB space; Alertmanager config, peers and the Watchdog alert; Loki ready with recent"
          + " entries of each source and a syslog message end to end; Grafana health, datasources and dashboards;"
          + " time on every node.",
      "Reaches the stack through the API server (port-forward), so no NodePort or Ingress is needed; --url sends a"
          + " component's checks to an address instead.",
      "Formats (-o): table (default), json, junit.",
      "Exit 0 pass (warnings included), 1 a check failed, 2 nothing could be checked or bad input."
    },
    subcommands = {VerifyTimeCommand.class})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOptions specOptions;

  @Mixin KubeOptions kubeOptions;

  @Mixin FormatOption format;

  @Mixin OutOption outOption;

  @Option(
      names = "--url",
      paramLabel = "COMPONENT=URL",
      description =
          "Reach a component here instead of through a port-forward (repeatable): prometheus, alertmanager,"
              + " loki, grafana (http[s]://host:port), syslog (host:port of the gateway's TCP listener).")
  Map<String, String> urls = new LinkedHashMap<>();

  @Option(
      names = "--no-kube",
      description = "Do not use the Kubernetes API: no workload checks, every component by --url.")
  boolean noKube;

  @Option(names = "--no-time", description = "Do not measure the nodes' clocks.")
  boolean noTime;

  @Option(names = "--watch", description = "Repeat until every check passes or --timeout ends.")
  boolean watch;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "With --watch: how long to keep trying (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description = "With --watch: the wait between rounds (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--log-window",
      paramLabel = "DURATION",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description =
          "How recent each log source's newest entry in Loki must be (default: ${DEFAULT-VALUE}).")
  Duration logWindow;

  @Option(
      names = "--syslog-bound",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How long the end-to-end syslog message may take to reach Loki (default: ${DEFAULT-VALUE}).")
  Duration syslogBound;

  private static final List<String> KEYS =
      List.of("prometheus", "alertmanager", "loki", "grafana", "syslog");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String output = format.resolve(spec, "table", List.of("table", "json", "junit"), null);
    for (Map.Entry<String, String> u : urls.entrySet()) {
      String key = u.getKey();
      if (!KEYS.contains(key) && !key.matches("alertmanager-\\d+")) {
        throw new ParameterException(
            spec.commandLine(),
            "--url: unknown component '" + key + "'; expected one of " + String.join(", ", KEYS));
      }
      boolean ok =
          key.equals("syslog")
              ? u.getValue().matches("[^\\s/:]+:\\d{1,5}")
              : u.getValue().matches("https?://[^\\s/]+(/\\S*)?");
      if (!ok) {
        throw new ParameterException(
            spec.commandLine(),
            "--url "
                + key
                + ": expected "
                + (key.equals("syslog")
                    ? "host:port of the gateway's TCP listener"
                    : "http(s)://host[:port][/path]")
                + ", got '"
                + u.getValue()
                + "'");
      }
    }
    Optional<Station> station = specOptions.load(err);
    if (station.isEmpty()) {
      err.flush();
      return ExitCodes.INPUT;
    }
    Expectations ex = new Expectations(station.get());
    KubeApi kube = null;
    String kubeProblem = "--no-kube";
    if (!noKube) {
      KubeApi k = null;
      try {
        k = kubeOptions.connect();
        k.serverVersion();
        kube = k;
      } catch (KubeException e) {
        if (k != null) {
          k.close();
        }
        // With addresses given, what they reach is still checked; the cluster's checks say why they
        // are not.
        if (urls.isEmpty()) {
          err.println("vigil verify: " + e.getMessage());
          err.flush();
          return ExitCodes.INPUT;
        }
        kubeProblem = e.getMessage();
      }
    }
    try (Reach reach = new Reach(urls, kube, kubeProblem)) {
      StackVerifier.Options o =
          new StackVerifier.Options(
              kubeOptions.requestTimeout,
              logWindow,
              syslogBound,
              grafanaAuth(station.get(), kube, err),
              !noTime,
              4);
      Clock clock = Clock.systemUTC();
      Instant start = clock.instant();
      int round = 0;
      while (true) {
        round++;
        List<Check> checks =
            StackVerifier.verify(
                ex, reach, kube, kubeProblem, o, clock, d -> Thread.sleep(d.toMillis()));
        Verdict overall = Check.overall(checks);
        Duration elapsed = Duration.between(start, clock.instant());
        boolean passed = overall == Verdict.PASS || overall == Verdict.WARN;
        if (!watch || passed || elapsed.plus(interval).compareTo(timeout) > 0) {
          if (watch) {
            err.println(
                "vigil verify: "
                    + (passed ? "every check passes" : "checks still failing when --timeout ended")
                    + " after "
                    + round
                    + (round == 1 ? " round" : " rounds")
                    + ", "
                    + elapsed.toSeconds()
                    + "s");
            err.flush();
          }
          return report(out, err, output, checks, overall);
        }
        long fail = checks.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
        long unknown = checks.stream().filter(c -> c.verdict() == Verdict.UNKNOWN).count();
        err.println(
            "["
                + elapsed.toSeconds()
                + "s] round "
                + round
                + ": "
                + fail
                + " failing, "
                + unknown
                + " unknown of "
                + checks.size()
                + " checks"
                + first(checks)
                + "; again in "
                + interval.toSeconds()
                + "s");
        err.flush();
        reach.close();
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return report(out, err, output, checks, overall);
        }
      }
    } finally {
      if (kube != null) {
        kube.close();
      }
    }
  }

  private static String first(List<Check> checks) {
    return checks.stream()
        .filter(c -> c.verdict() == Verdict.FAIL)
        .findFirst()
        .map(c -> " (first: " + c.target() + " " + c.check() + ")")
        .orElse("");
  }

  private int report(
      PrintWriter out, PrintWriter err, String output, List<Check> checks, Verdict overall) {
    Path file = outOption.out;
    PrintWriter w = out;
    java.io.StringWriter buffer = null;
    if (file != null && !file.toString().equals("-")) {
      buffer = new java.io.StringWriter();
      w = new PrintWriter(buffer);
    }
    switch (output) {
      case "json" -> CheckReport.json(w, checks, overall);
      case "junit" -> CheckReport.junit(w, checks, overall);
      default -> CheckReport.table(w, checks, overall);
    }
    if (buffer != null) {
      try {
        Files.writeString(file, buffer.toString(), StandardCharsets.UTF_8);
        out.println(
            "Wrote "
                + output
                + " report to "
                + file
                + ": "
                + overall.name()
                + " (exit "
                + overall.exitCode()
                + ")");
        out.flush();
      } catch (IOException e) {
        err.println("vigil verify: cannot write " + file + ": " + e.getMessage());
        err.flush();
        return ExitCodes.INPUT;
      }
    }
    return overall.exitCode();
  }

  /**
   * Headers that log in to Grafana: a service account token ($VIGIL_GRAFANA_TOKEN), else the admin
   * password ($VIGIL_GRAFANA_PASSWORD, else the Secret the spec names for it), else none — the
   * homelab's anonymous Viewer may query datasources and search dashboards.
   */
  static Map<String, String> grafanaAuth(Station station, KubeApi kube, PrintWriter err) {
    String token = System.getenv("VIGIL_GRAFANA_TOKEN");
    if (token != null && !token.isBlank()) {
      return Map.of("Authorization", "Bearer " + token.strip());
    }
    String password = System.getenv("VIGIL_GRAFANA_PASSWORD");
    var ref = station.components().grafana().auth().adminPassword();
    if ((password == null || password.isBlank())
        && kube != null
        && ref != null
        && ref.secret() != null) {
      try {
        password =
            kube.secretValue(station.cluster().namespace(), ref.secret().name(), ref.secret().key())
                .orElse(null);
      } catch (KubeException e) {
        err.println(
            "vigil verify: cannot read Grafana's admin password from Secret "
                + ref.secret().name()
                + " ("
                + e.getMessage()
                + "); checking Grafana without logging in");
      }
    }
    if (password == null || password.isBlank()) {
      return Map.of();
    }
    String basic =
        Base64.getEncoder()
            .encodeToString(("admin:" + password.strip()).getBytes(StandardCharsets.UTF_8));
    return Map.of("Authorization", "Basic " + basic);
  }
}
