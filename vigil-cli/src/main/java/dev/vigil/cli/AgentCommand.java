package dev.vigil.cli;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentLogging;
import dev.vigil.agent.AgentPlan;
import dev.vigil.agent.power.PowerService;
import dev.vigil.agent.syslog.SyslogService;
import dev.vigil.agent.time.TimeService;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.power.PowerSpec;
import dev.vigil.spec.syslog.SyslogSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil agent}: runs the long-lived agent — the syslog gateway, the time probe and the power
 * manager, each when the spec enables it (or as {@code --services} selects).
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Vigil agent with the services the spec enables: the syslog gateway (UDP/TCP 5514,"
          + " TLS 6514 when certificates are configured) pushing to Loki through a disk journal;"
          + " the time probe (time.probe: upstream servers, the other nodes, the local chrony);"
          + " the power manager (power: idle detection and sleep on a sleepable node, wake"
          + " triggers on the controller, the API `vigil power status` reads). /metrics, /healthz"
          + " and /readyz on the HTTP port."
    })
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOptions specOptions;

  @Option(
      names = "--data-dir",
      description =
          "Directory for the journal, archive and dead-letter file (default: ${DEFAULT-VALUE}).",
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
      names = "--node",
      description =
          "This host's node in the spec (default: $VIGIL_NODE_NAME, else the node whose name is"
              + " this host's name or whose address is one of its addresses).")
  String node;

  @Option(
      names = "--services",
      split = ",",
      paramLabel = "SERVICE",
      description =
          "Run only these services: syslog, time, power (default: every one the spec enables).")
  List<String> services;

  @Option(
      names = "--dry-run",
      description = "Load and check the spec, print the effective settings, and exit.")
  boolean dryRun;

  /** Completed when the agent should stop (tests); the JVM shutdown hook also stops it. */
  final CountDownLatch stop = new CountDownLatch(1);

  private final CountDownLatch closed = new CountDownLatch(1);

  /** The running agent, once started (tests read its registry). */
  volatile Agent agent;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Station> loaded = specOptions.load(err);
    if (loaded.isEmpty()) {
      return ExitCodes.INPUT;
    }
    Station station = loaded.get();
    SyslogSpec syslog = station.syslog() != null ? station.syslog() : SyslogSpec.defaults();
    if (lokiUrl != null && !(lokiUrl.startsWith("http://") || lokiUrl.startsWith("https://"))) {
      err.println("error: --loki-url: expected an http:// or https:// URL, got '" + lokiUrl + "'");
      return ExitCodes.INPUT;
    }
    Set<String> run;
    Node local;
    try {
      run = AgentPlan.services(station, syslog, services);
      local = AgentPlan.localNode(station, node != null ? node : System.getenv("VIGIL_NODE_NAME"));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    TimeService.Plan timePlan = null;
    if (run.contains(AgentPlan.TIME)) {
      timePlan = TimeService.plan(station, local);
    }
    String effectiveLoki = lokiUrl != null ? lokiUrl : syslog.loki().url();
    out.println("vigil agent");
    out.println("  spec:      " + specOptions.describe());
    out.println(
        "  node:      "
            + (local == null
                ? "none of the spec's nodes"
                : local.name() + " (" + local.address().text() + ")"));
    out.println("  services:  " + (run.isEmpty() ? "none" : String.join(", ", run)));
    out.println("  data dir:  " + dataDir);
    out.println("  http:      " + httpAddress + ":" + httpPort + " (/metrics /healthz /readyz)");
    if (run.contains(AgentPlan.SYSLOG)) {
      SyslogSpec.Listen l = syslog.listen();
      out.println(
          "  syslog:    "
              + l.address()
              + (l.udp() ? " udp/" + l.udpPort() : "")
              + (l.tcp() ? " tcp/" + l.tcpPort() : "")
              + (l.tls().enabled() ? " tls/" + l.tls().port() : " (tls off: no certFile/keyFile)"));
      out.println(
          "  loki:      "
              + effectiveLoki
              + (syslog.loki().tenant() == null ? "" : " tenant " + syslog.loki().tenant()));
      out.println(
          "  journal:   "
              + dataDir.resolve(syslog.journal().dir())
              + " budget "
              + syslog.journal().maxSize()
              + ", fsync "
              + syslog.journal().fsync().name().toLowerCase()
              + ", when full "
              + syslog.journal().whenFull().name().toLowerCase().replace('_', '-'));
    } else {
      out.println("  syslog:    off");
    }
    out.println("  time:      " + (timePlan == null ? "off" : timePlan.describe()));
    if (run.contains(AgentPlan.POWER)) {
      PowerSpec power = station.power();
      String role =
          local == null
              ? "no role (not one of the spec's nodes): API only"
              : local.name().equals(power.controller())
                  ? "controller"
                  : power.nodes() != null
                          && power.nodes().containsKey(local.name())
                          && power.nodes().get(local.name()).sleepable()
                      ? "sleepable node"
                      : "always-on node";
      out.println(
          "  power:     "
              + role
              + (power.dryRun() ? ", dry-run" : "")
              + ", api "
              + (power.api() == null
                  ? "127.0.0.1:9797"
                  : power.api().address() + ":" + power.api().port()));
    } else {
      out.println("  power:     off");
    }
    out.flush();
    if (dryRun) {
      return ExitCodes.OK;
    }
    if (run.isEmpty()) {
      err.println("error: no service to run: the spec enables none of syslog, time and power");
      return ExitCodes.INPUT;
    }
    AgentLogging.configure();
    Agent.Builder builder =
        Agent.builder().httpAddress(httpAddress).httpPort(httpPort).dataDir(dataDir);
    // Power first: the syslog gateway feeds its wake triggers from its first message on.
    PowerService powerService = null;
    if (run.contains(AgentPlan.POWER)) {
      powerService = new PowerService(station, local == null ? null : local.name(), null, 0);
      builder.service(powerService);
    }
    if (timePlan != null) {
      builder.service(new TimeService(timePlan, null));
    }
    if (run.contains(AgentPlan.SYSLOG)) {
      SyslogService syslogService =
          new SyslogService(
              syslog,
              new SyslogService.Overrides(-1, -1, -1, lokiUrl, Duration.ofSeconds(5)),
              Clock.systemUTC());
      if (powerService != null && AgentPlan.hasSyslogTriggers(station.power())) {
        syslogService.onMessage(powerService.syslogHook());
      }
      builder.service(syslogService);
    }
    Agent agent;
    try {
      agent = builder.buildAndStart();
      this.agent = agent;
    } catch (java.net.BindException e) {
      err.println(
          "error: cannot listen: "
              + e.getMessage()
              + " (is another agent or syslog daemon running?)");
      return ExitCodes.FINDINGS;
    } catch (java.io.IOException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FINDINGS;
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
    return ExitCodes.OK;
  }
}
