package dev.vigil.agent;

import dev.vigil.agent.syslog.SyslogService;
import dev.vigil.spec.syslog.SyslogSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil agent}: runs the long-lived agent (syslog gateway, and later time and power). */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Vigil agent: the syslog gateway (UDP/TCP 5514, TLS 6514 when certificates are"
          + " configured) pushing to Loki through a disk journal, with /metrics, /healthz and"
          + " /readyz on the HTTP port."
    })
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      description = "vigil.yaml to run (default: the embedded default spec).")
  Path file;

  @Option(
      names = {"-e", "--env"},
      description = "Overlay merged over the spec, in order (repeatable).")
  List<Path> overlays = new ArrayList<>();

  @Option(
      names = "--data-dir",
      description = "Directory for the journal, archive and dead-letter file (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:VIGIL_DATA_DIR:-/var/lib/vigil}")
  Path dataDir;

  @Option(
      names = "--http-port",
      description = "Port of /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}).",
      defaultValue = "9464")
  int httpPort;

  @Option(
      names = "--http-address",
      description = "Address of the HTTP endpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.0.0.0")
  String httpAddress;

  @Option(names = "--loki-url", description = "Override syslog.loki.url.")
  String lokiUrl;

  @Option(
      names = "--dry-run",
      description = "Load and check the spec, print the effective settings, and exit.")
  boolean dryRun;

  /** Completed when the agent should stop (tests); the JVM shutdown hook also stops it. */
  final CountDownLatch stop = new CountDownLatch(1);

  private final CountDownLatch closed = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path p : file == null ? overlays : concat(file, overlays)) {
      if (!Files.isReadable(p)) {
        err.println("error: cannot read " + p);
        return 2;
      }
    }
    AgentSpecs.Loaded loaded = AgentSpecs.load(file, overlays);
    if (!loaded.ok()) {
      err.print(loaded.problems());
      err.flush();
      return 2;
    }
    SyslogSpec syslog = loaded.syslog();
    if (lokiUrl != null && !(lokiUrl.startsWith("http://") || lokiUrl.startsWith("https://"))) {
      err.println("error: --loki-url: expected an http:// or https:// URL, got '" + lokiUrl + "'");
      return 2;
    }
    String effectiveLoki = lokiUrl != null ? lokiUrl : syslog.loki().url();
    out.println("vigil agent");
    out.println("  spec:      " + (file == null ? "embedded default" : file));
    out.println("  data dir:  " + dataDir);
    out.println("  http:      " + httpAddress + ":" + httpPort + " (/metrics /healthz /readyz)");
    if (syslog.enabled()) {
      SyslogSpec.Listen l = syslog.listen();
      out.println(
          "  syslog:    " + l.address() + (l.udp() ? " udp/" + l.udpPort() : "")
              + (l.tcp() ? " tcp/" + l.tcpPort() : "")
              + (l.tls().enabled() ? " tls/" + l.tls().port() : " (tls off: no certFile/keyFile)"));
      out.println("  loki:      " + effectiveLoki + (syslog.loki().tenant() == null ? "" : " tenant " + syslog.loki().tenant()));
      out.println(
          "  journal:   " + dataDir.resolve(syslog.journal().dir()) + " budget " + syslog.journal().maxSize()
              + ", fsync " + syslog.journal().fsync().name().toLowerCase() + ", when full "
              + syslog.journal().whenFull().name().toLowerCase().replace('_', '-'));
    } else {
      out.println("  syslog:    disabled");
    }
    out.flush();
    if (dryRun) {
      return 0;
    }
    AgentLogging.configure();
    Agent.Builder builder =
        Agent.builder().httpAddress(httpAddress).httpPort(httpPort).dataDir(dataDir);
    if (syslog.enabled()) {
      builder.service(
          new SyslogService(
              syslog,
              new SyslogService.Overrides(-1, -1, -1, lokiUrl, Duration.ofSeconds(5)),
              Clock.systemUTC()));
    }
    Agent agent;
    try {
      agent = builder.buildAndStart();
    } catch (java.net.BindException e) {
      err.println("error: cannot listen: " + e.getMessage() + " (is another agent or syslog daemon running?)");
      return 1;
    } catch (java.io.IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    // SIGTERM: the JVM exits when hooks return, so the hook waits for the graceful close
    // (listeners stop, journal drains to Loki) that the main thread performs.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vigil-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("agent running; http port " + agent.getHttpPort());
    out.flush();
    try {
      stop.await();
    } finally {
      agent.close();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // JVM already shutting down.
      }
    }
    out.println("agent stopped");
    out.flush();
    return 0;
  }

  private static List<Path> concat(Path first, List<Path> rest) {
    List<Path> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
