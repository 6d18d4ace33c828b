package dev.vigil.power;

import dev.vigil.power.check.ActivityCheck;
import dev.vigil.power.check.ProcNetTcp;
import dev.vigil.power.check.ActivityVerdict;
import dev.vigil.power.trigger.ConnectionAttempts;
import dev.vigil.power.trigger.PathWatcher;
import dev.vigil.power.trigger.PortHolder;
import dev.vigil.power.trigger.SyslogTrigger;
import dev.vigil.spec.power.IdlePolicy;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import dev.vigil.spec.power.SleepSpec;
import dev.vigil.spec.power.WakeSendSpec;
import dev.vigil.spec.power.WakeTriggers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The power manager service run by {@code vigil agent}.
 *
 * <p>On a sleepable node ("node" role) it runs the activity checks and the idle state machine and
 * carries out the sleep action. On the controller it watches the other nodes, holds and scans their
 * service ports while they sleep, matches syslog messages and watched paths, and wakes them —
 * through a {@link WakeCoordinator}, so at most one wake is in flight per node. Both roles serve
 * their state over HTTP ({@link PowerApi}).
 */
public final class PowerManager implements Closeable {
  private static final Logger LOG = Logger.getLogger(PowerManager.class.getName());

  /** A node as the station spec describes it. */
  public record Node(String name, String address, String mac) {
    public Node {
      Objects.requireNonNull(name, "name");
    }
  }

  private final PowerSpec spec;
  private final String localNode;
  private final boolean controller;
  private final boolean dryRun;
  private final MonotonicClock clock;
  private final PowerMetrics metrics;
  private final Map<String, NodeRuntime> nodes = new LinkedHashMap<>();
  private final List<Consumer<String>> decisionLog = new ArrayList<>();
  private final WakeCoordinator coordinator;
  private final ScheduledExecutorService scheduler;
  private final SyslogTrigger syslog;
  private final List<PathWatcher> pathWatchers = new ArrayList<>();
  private final Map<String, List<PortHolder>> held = new HashMap<>();
  private final WakeVerifier stateProbe;
  private final KubernetesClient kubernetes;
  private final boolean ownsKubernetes;
  private final Path procNet;
  private final Optional<Path> inotifyWait;
  private final PowerApi api;
  private LocalRole local;

  private PowerManager(Builder b) throws IOException {
    this.spec = Objects.requireNonNull(b.spec, "spec");
    this.localNode = b.localNode;
    this.controller = localNode != null && localNode.equals(spec.controller());
    this.dryRun = spec.dryRun();
    this.clock = b.clock;
    this.metrics = new PowerMetrics(b.registry);
    this.kubernetes = b.kubernetes;
    this.ownsKubernetes = b.ownsKubernetes;
    this.procNet = b.procNet;
    this.inotifyWait = b.inotifyWait;
    if (b.log != null) {
      decisionLog.add(b.log);
    }
    Map<String, Node> byName = new HashMap<>();
    for (Node n : b.nodes) {
      byName.put(n.name(), n);
    }
    Map<String, PowerNodeSpec> specNodes = spec.nodes() == null ? Map.of() : spec.nodes();
    for (Map.Entry<String, PowerNodeSpec> e : specNodes.entrySet()) {
      nodes.put(
          e.getKey(), NodeRuntime.of(e.getKey(), e.getValue(), byName.get(e.getKey()), b.env));
    }
    WakeSendSpec w = wakeSpec();
    this.stateProbe = new WakeVerifier(w.verifyPort(), null);
    WakeCoordinator.WakeAction action = b.wakeAction != null ? b.wakeAction : this::defaultWake;
    this.coordinator =
        new WakeCoordinator(action, new CoordinatorListener(), clock, w.backoff(), w.maxBackoff());
    Map<String, List<Pattern>> patterns = new HashMap<>();
    for (NodeRuntime n : nodes.values()) {
      metrics.sleepable.labelValues(n.name).set(n.spec.sleepable() ? 1 : 0);
      metrics.state(n.name, n.state);
      WakeTriggers t = n.spec.triggers();
      if (t != null && t.syslogPatterns() != null && !t.syslogPatterns().isEmpty()) {
        patterns.put(n.name, t.syslogPatterns().stream().map(Pattern::compile).toList());
      }
    }
    this.syslog = new SyslogTrigger(patterns, (node, why) -> triggered(node, why, true));
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-power");
              t.setDaemon(true);
              return t;
            });
    NodeRuntime self = localNode == null ? null : nodes.get(localNode);
    if (self != null && self.spec.sleepable()) {
      this.local = new LocalRole(self, b.checks.apply(self));
    }
    this.api = PowerApi.start(this, b.apiAddress, b.apiPort, b.token);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; {@link #buildAndStart()} starts the schedule and the HTTP API. */
  public static final class Builder {
    private PowerSpec spec;
    private List<Node> nodes = List.of();
    private String localNode;
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private MonotonicClock clock = MonotonicClock.SYSTEM;
    private Map<String, String> env = System.getenv();
    private KubernetesClient kubernetes;
    private boolean ownsKubernetes;
    private WakeCoordinator.WakeAction wakeAction;
    private String apiAddress;
    private Integer apiPort;
    private Optional<String> token;
    private Path procNet = Path.of("/proc/net");
    private Optional<Path> inotifyWait = WakeSender.findTool("inotifywait");
    private Consumer<String> log;
    private boolean schedule = true;
    private java.util.function.Function<NodeRuntime, List<ActivityCheck>> checks;

    public Builder spec(PowerSpec spec) {
      this.spec = spec;
      return this;
    }

    public Builder nodes(List<Node> nodes) {
      this.nodes = List.copyOf(nodes);
      return this;
    }

    /** Name of the node this agent runs on. */
    public Builder localNode(String name) {
      this.localNode = name;
      return this;
    }

    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder clock(MonotonicClock clock) {
      this.clock = clock;
      return this;
    }

    /** Environment used to resolve {@code env:} secret references. */
    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    public Builder kubernetes(KubernetesClient client) {
      this.kubernetes = client;
      return this;
    }

    /** Replaces sending and verifying (embedding, tests); the default sends real packets. */
    public Builder wakeAction(WakeCoordinator.WakeAction action) {
      this.wakeAction = action;
      return this;
    }

    /** Overrides the API listen address and port from the spec (0 = any free port). */
    public Builder api(String address, int port) {
      this.apiAddress = address;
      this.apiPort = port;
      return this;
    }

    /** Root of the TCP tables ({@code /proc/net}). */
    public Builder procNet(Path procNet) {
      this.procNet = procNet;
      return this;
    }

    /** {@code Optional.empty()} forces the polling fallback for watched paths. */
    public Builder inotifyWait(Optional<Path> inotifyWait) {
      this.inotifyWait = inotifyWait;
      return this;
    }

    /** Receives every decision as one line, in addition to the logger. */
    /**
     * The spec and nodes of a station. The spec's nodes give names, addresses and MACs; the power
     * section may override MAC and address per node.
     */
    public Builder station(dev.vigil.spec.model.Station station) {
      this.spec = station.power();
      List<Node> list = new ArrayList<>();
      if (station.nodes() != null) {
        for (dev.vigil.spec.model.Node n : station.nodes()) {
          list.add(
              new Node(
                  n.name(),
                  n.address() == null ? null : n.address().text(),
                  n.mac() == null ? null : n.mac().text()));
        }
      }
      this.nodes = List.copyOf(list);
      return this;
    }

    /**
     * false: no background rounds; the embedding code (or a test with its own clock) calls {@link
     * PowerManager#localTick()} and {@link PowerManager#controllerTick()}.
     */
    public Builder schedule(boolean schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder decisionLog(Consumer<String> log) {
      this.log = log;
      return this;
    }

    public PowerManager buildAndStart() throws IOException {
      if (spec == null) {
        throw new IllegalArgumentException("power manager needs the power spec");
      }
      if (token == null) {
        token = spec.api() == null ? Optional.empty() : Secrets.resolve(spec.api().token(), env);
      }
      if (apiPort == null) {
        apiAddress = spec.api() == null ? "127.0.0.1" : spec.api().address();
        apiPort = spec.api() == null ? 9797 : spec.api().port();
      }
      if (kubernetes == null) {
        kubernetes = KubernetesAccess.fromSpec(spec.kubeconfig(), env).orElse(null);
        ownsKubernetes = kubernetes != null;
      }
      if (checks == null) {
        checks =
            n ->
                Checks.fromSpec(
                    n.name, idle(n.spec), spec.prometheusUrl(), kubernetes, procNet, clock);
      }
      PowerManager m = new PowerManager(this);
      m.start(schedule);
      return m;
    }
  }

  private void start(boolean schedule) throws IOException {
    if (local != null) {
      Duration every = idle(local.node.spec).interval();
      if (schedule) {
        scheduler.scheduleWithFixedDelay(
            this::safeLocalTick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
      }
      decide(
          "node role: "
              + local.node.name
              + " sleeps after "
              + idle(local.node.spec).idleAfter()
              + " idle, checks "
              + local.checks.stream().map(ActivityCheck::name).toList());
    }
    if (controller) {
      Duration every = Duration.ofSeconds(5);
      for (NodeRuntime n : remoteSleepable()) {
        WakeTriggers t = n.spec.triggers();
        if (t != null && t.interval() != null && t.interval().compareTo(every) < 0) {
          every = t.interval();
        }
        if (t != null && t.paths() != null && !t.paths().isEmpty()) {
          List<Path> paths = t.paths().stream().map(Path::of).toList();
          Consumer<String> onAccess = why -> triggered(n.name, "path access (" + why + ")", true);
          try {
            pathWatchers.add(PathWatcher.start(paths, inotifyWait, t.interval(), onAccess));
          } catch (IOException e) {
            // A share that is not mounted yet must not stop the agent: poll until it appears.
            decide(n.name + ": " + e.getMessage() + "; polling instead");
            pathWatchers.add(PathWatcher.start(paths, Optional.empty(), t.interval(), onAccess));
          }
        }
      }
      if (schedule) {
        scheduler.scheduleWithFixedDelay(
            this::safeControllerTick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
      }
      decide(
          "controller role: watching "
              + remote().stream().map(n -> n.name).toList()
              + ", waking "
              + remoteSleepable().stream().map(n -> n.name).toList());
    }
  }

  // ---------------------------------------------------------------- node role

  private final class LocalRole {
    final NodeRuntime node;
    final List<ActivityCheck> checks;
    final IdleStateMachine machine;
    long uncordonAfter = Long.MIN_VALUE;

    LocalRole(NodeRuntime node, List<ActivityCheck> checks) {
      this.node = node;
      this.checks = checks;
      IdlePolicy p = idle(node.spec);
      // Three missed rounds mean nobody was looking: idle time starts again.
      this.machine =
          new IdleStateMachine(p.idleAfter(), p.minUptime(), p.interval().multipliedBy(3), clock);
    }
  }

  private void safeLocalTick() {
    try {
      localTick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "power check round failed", e);
    }
  }

  /** One round of checks on this node. Public so an embedding agent can drive it. */
  public void localTick() {
    LocalRole l = local;
    if (l == null) {
      return;
    }
    if (l.uncordonAfter != Long.MIN_VALUE && clock.nanoTime() - l.uncordonAfter >= 0) {
      l.uncordonAfter = Long.MIN_VALUE;
      uncordon(l.node.name);
    }
    IdlePolicy p = idle(l.node.spec);
    Map<String, ActivityVerdict> verdicts = new LinkedHashMap<>();
    boolean allIdle = true;
    for (ActivityCheck c : l.checks) {
      ActivityVerdict v = c.safeCheck();
      verdicts.put(c.name(), v);
      metrics.verdict(l.node.name, c.name(), v);
      if (v.keepsAwake(p.errorCountsAsActive())) {
        allIdle = false;
      }
    }
    IdleStateMachine.Decision d = l.machine.evaluate(allIdle);
    synchronized (l.node) {
      l.node.checks = verdicts;
      l.node.idleFor = l.machine.idleFor();
      l.node.awakeFor = l.machine.awakeFor();
      l.node.state = d == IdleStateMachine.Decision.ACTIVE ? NodeState.AWAKE : NodeState.IDLE;
    }
    metrics.idleSeconds.labelValues(l.node.name).set(l.machine.idleFor().toMillis() / 1000.0);
    metrics.state(l.node.name, l.node.state);
    if (d == IdleStateMachine.Decision.SLEEP) {
      sleep(l);
    } else if (d == IdleStateMachine.Decision.HOLD_MIN_UPTIME) {
      l.node.lastDecision = "idle, but within minimum uptime " + p.minUptime();
    } else if (d == IdleStateMachine.Decision.ACTIVE) {
      l.node.lastDecision =
          "active: "
              + verdicts.entrySet().stream()
                  .filter(e -> e.getValue().keepsAwake(p.errorCountsAsActive()))
                  .map(e -> e.getKey() + " (" + e.getValue().detail() + ")")
                  .findFirst()
                  .orElse("");
    } else {
      l.node.lastDecision =
          "idle for " + l.machine.idleFor().toSeconds() + "s of " + p.idleAfter().toSeconds() + "s";
    }
  }

  private void sleep(LocalRole l) {
    SleepSpec s = sleepSpec(l.node.spec);
    List<String> command =
        s.command() == null || s.command().isEmpty()
            ? List.of("systemctl", "suspend")
            : s.command();
    List<String> wol = s.wolInterfaces() == null ? List.of() : s.wolInterfaces();
    String plan =
        "sleep "
            + l.node.name
            + ": drain="
            + s.drain()
            + ", re-arm WOL on "
            + wol
            + ", run "
            + command;
    metrics.sleeps.labelValues(l.node.name, String.valueOf(dryRun)).inc();
    if (dryRun) {
      decide("dry-run: would " + plan);
      l.node.lastDecision = "dry-run: would " + plan;
      l.machine.woke();
      return;
    }
    decide(plan);
    Drainer drainer =
        kubernetes == null ? null : new Drainer(kubernetes, clock, Duration.ofSeconds(5));
    if (s.drain()) {
      if (drainer == null) {
        decide("not sleeping " + l.node.name + ": drain requested but no Kubernetes client");
        l.node.lastDecision = "sleep aborted: no Kubernetes client for drain";
        l.machine.woke();
        return;
      }
      try {
        drainer.cordon(l.node.name);
        Drainer.Result r = drainer.drain(l.node.name, s.drainTimeout());
        if (!r.drained()) {
          drainer.uncordon(l.node.name);
          decide("not sleeping " + l.node.name + ": drain blocked by " + r.blocked());
          l.node.lastDecision = "sleep aborted: drain blocked by " + r.blocked();
          l.machine.woke();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        decide("not sleeping " + l.node.name + ": drain failed: " + e.getMessage());
        l.node.lastDecision = "sleep aborted: drain failed";
        uncordon(l.node.name);
        l.machine.woke();
        return;
      }
    }
    for (String iface : wol) {
      runQuietly(List.of("ethtool", "-s", iface, "wol", "g"), "re-arm WOL on " + iface);
    }
    boolean ok = runQuietly(command, "sleep command");
    l.node.lastDecision = ok ? "slept" : "sleep command failed";
    l.machine.woke();
    if (s.drain()) {
      // The monotonic clock stands still while suspended, so one interval on it ends after resume.
      l.uncordonAfter = clock.nanoTime() + idle(l.node.spec).interval().toNanos();
    }
  }

  private void uncordon(String node) {
    if (kubernetes == null) {
      return;
    }
    try {
      new Drainer(kubernetes, clock, Duration.ofSeconds(5)).uncordon(node);
      decide("uncordoned " + node);
    } catch (RuntimeException e) {
      decide("uncordon of " + node + " failed: " + e.getMessage());
    }
  }

  private boolean runQuietly(List<String> command, String what) {
    try {
      dev.vigil.power.check.CommandRunner.Result r =
          dev.vigil.power.check.CommandRunner.run(command, Duration.ofSeconds(60));
      if (r.exitCode() != 0) {
        decide(what + " failed: exit " + r.exitCode() + ": " + r.output().strip());
        return false;
      }
      return true;
    } catch (IOException e) {
      decide(what + " failed: " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---------------------------------------------------------------- controller role

  private List<NodeRuntime> remoteSleepable() {
    return nodes.values().stream()
        .filter(n -> n.spec.sleepable() && !n.name.equals(localNode))
        .toList();
  }

  /** Every other node: sleepable ones are woken, the others only watched (asleep = alert). */
  private List<NodeRuntime> remote() {
    return nodes.values().stream().filter(n -> !n.name.equals(localNode)).toList();
  }

  private void safeControllerTick() {
    try {
      controllerTick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "power controller round failed", e);
    }
  }

  /** One round of state probes and trigger scans. Public so an embedding agent can drive it. */
  public void controllerTick() {
    List<ProcNetTcp.Entry> table = null;
    for (NodeRuntime n : remote()) {
      NodeState s;
      if (coordinator.inFlight(n.name)) {
        s = NodeState.WAKING;
      } else if (n.address == null) {
        s = NodeState.UNKNOWN;
      } else {
        s =
            stateProbe.probe(n.address, n.name, Duration.ofMillis(500)).reachable()
                ? NodeState.AWAKE
                : NodeState.SLEEPING;
      }
      NodeState before;
      synchronized (n) {
        before = n.state;
        n.state = s;
      }
      metrics.state(n.name, s);
      if (before != s) {
        decide(n.name + ": " + before.label() + " -> " + s.label());
      }
      WakeTriggers t = n.spec.triggers();
      if (t == null || !n.spec.sleepable()) {
        continue;
      }
      Set<Integer> ports = t.ports() == null ? Set.of() : new HashSet<>(t.ports());
      if (s == NodeState.SLEEPING) {
        if (t.holdPorts()) {
          hold(n, t, ports);
        }
        if (!ports.isEmpty()) {
          try {
            if (table == null) {
              table = ProcNetTcp.read(procNet);
            }
            List<ProcNetTcp.Entry> hits =
                ConnectionAttempts.find(table, ports, InetAddress.getByName(n.address));
            if (!hits.isEmpty()) {
              ProcNetTcp.Entry e = hits.get(0);
              triggered(
                  n.name,
                  "connection attempt "
                      + e.remoteAddress().getHostAddress()
                      + " -> port "
                      + (e.state() == ProcNetTcp.SYN_SENT ? e.remotePort() : e.localPort()),
                  true);
            }
          } catch (IOException e) {
            LOG.fine("cannot read TCP table: " + e.getMessage());
          }
        }
        if (t.promql() != null && !t.promql().isBlank()) {
          try {
            int count =
                new dev.vigil.power.check.PromQl(spec.prometheusUrl(), Duration.ofSeconds(5))
                    .resultCount(t.promql(), Duration.ofSeconds(5));
            if (count > 0) {
              triggered(n.name, "promql " + t.promql(), true);
            }
          } catch (IOException e) {
            LOG.fine("wake PromQL for " + n.name + " failed: " + e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      } else if (s == NodeState.AWAKE) {
        release(n.name);
      }
    }
  }

  private void hold(NodeRuntime n, WakeTriggers t, Set<Integer> ports) {
    synchronized (held) {
      if (held.containsKey(n.name)) {
        return;
      }
      List<PortHolder> hs = new ArrayList<>();
      for (int port : ports) {
        try {
          hs.add(PortHolder.open(t.holdAddress(), port, why -> triggered(n.name, why, true)));
        } catch (IOException e) {
          decide(n.name + ": " + e.getMessage());
        }
      }
      held.put(n.name, hs);
      decide(
          n.name
              + ": holding ports "
              + hs.stream().map(PortHolder::port).toList()
              + " while it sleeps");
    }
  }

  private void release(String node) {
    synchronized (held) {
      List<PortHolder> hs = held.remove(node);
      if (hs != null) {
        for (PortHolder h : hs) {
          try {
            h.close();
          } catch (IOException ignored) {
            // Closing a listener cannot fail in a way worth reporting.
          }
        }
        decide(node + ": released held ports");
      }
    }
  }

  /** Ports currently held for a sleeping node (for status and tests). */
  public List<Integer> heldPorts(String node) {
    synchronized (held) {
      return held.getOrDefault(node, List.of()).stream().map(PortHolder::port).toList();
    }
  }

  /** The hook the syslog gateway feeds with each message text. */
  public Consumer<String> syslogHook() {
    return syslog;
  }

  /**
   * Requests a wake. Triggers fire only while the node is seen asleep ({@code onlyIfSleeping}); an
   * explicit request (API, CLI) always goes through the coordinator.
   */
  public WakeCoordinator.Admission requestWake(String node, String reason) {
    if (!nodes.containsKey(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'");
    }
    return triggered(node, reason, false);
  }

  private WakeCoordinator.Admission triggered(String node, String reason, boolean onlyIfSleeping) {
    NodeRuntime n = nodes.get(node);
    if (n == null) {
      return null;
    }
    if (onlyIfSleeping && n.state != NodeState.SLEEPING && n.state != NodeState.WAKING) {
      return null;
    }
    WakeCoordinator.Admission a = coordinator.request(node, reason);
    if (a == WakeCoordinator.Admission.STARTED) {
      synchronized (n) {
        n.state = NodeState.WAKING;
      }
      metrics.state(node, NodeState.WAKING);
    }
    return a;
  }

  public Duration retryAfter(String node) {
    return coordinator.retryAfter(node);
  }

  private WakeCoordinator.Outcome defaultWake(String node, String reason)
      throws InterruptedException {
    NodeRuntime n = nodes.get(node);
    if (n.mac == null) {
      return new WakeCoordinator.Outcome(false, Duration.ZERO, "no MAC address known for " + node);
    }
    if (dryRun) {
      decide(
          "dry-run: would send magic packet for "
              + node
              + " ("
              + MacText.of(n.mac)
              + ") to ports "
              + wakePorts()
              + (n.secureOn != null ? " with SecureOn password" : ""));
      return new WakeCoordinator.Outcome(false, Duration.ZERO, "dry-run");
    }
    WakeSendSpec w = wakeSpec();
    Waker waker =
        new Waker(
            new WakeSender(w.ports(), w.etherwake(), w.etherwakeInterface()),
            new WakeVerifier(w.verifyPort(), kubernetes),
            clock,
            w.verifyTimeout(),
            w.retries(),
            Duration.ofSeconds(2));
    return waker.wake(n.mac, n.secureOn, n.address, node, true, this::decide);
  }

  private List<Integer> wakePorts() {
    List<Integer> p = wakeSpec().ports();
    return p == null || p.isEmpty() ? WakeSender.DEFAULT_PORTS : p;
  }

  private final class CoordinatorListener implements WakeCoordinator.Listener {
    @Override
    public void started(String node, String reason) {
      decide("waking " + node + ": " + reason);
    }

    @Override
    public void finished(String node, String reason, WakeCoordinator.Outcome o) {
      NodeRuntime n = nodes.get(node);
      String result = "dry-run".equals(o.detail()) ? "dry_run" : o.woke() ? "woke" : "failed";
      metrics.wakes.labelValues(node, result).inc();
      if (o.woke()) {
        metrics.wakeLatency.labelValues(node).set(o.latency().toMillis() / 1000.0);
      }
      synchronized (n) {
        n.lastWakeReason = reason;
        n.lastWakeResult = result + (o.detail() == null ? "" : ": " + o.detail());
        n.lastWakeLatency = o.woke() ? o.latency() : null;
        n.lastWakeAt = Instant.ofEpochMilli(clock.wallMillis()).toString();
        if (n.state == NodeState.WAKING) {
          n.state = o.woke() ? NodeState.AWAKE : NodeState.SLEEPING;
        }
      }
      metrics.state(node, n.state);
      decide(
          "wake of "
              + node
              + " "
              + result
              + (o.woke() ? " after " + o.latency().toMillis() + " ms" : "")
              + ": "
              + o.detail());
    }

    @Override
    public void suppressed(String node, String reason, WakeCoordinator.Admission why) {
      metrics
          .suppressed
          .labelValues(node, why.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .inc();
      LOG.fine("wake of " + node + " suppressed (" + why + "): " + reason);
    }
  }

  // ---------------------------------------------------------------- status

  public PowerStatus status() {
    List<PowerStatus.NodeStatus> out = new ArrayList<>();
    for (NodeRuntime n : nodes.values()) {
      synchronized (n) {
        List<PowerStatus.CheckStatus> checks = new ArrayList<>();
        n.checks.forEach(
            (k, v) ->
                checks.add(
                    new PowerStatus.CheckStatus(
                        k, v.state().name().toLowerCase(java.util.Locale.ROOT), v.detail())));
        boolean isLocal = n.name.equals(localNode);
        out.add(
            new PowerStatus.NodeStatus(
                n.name,
                n.state.label(),
                n.spec.sleepable(),
                isLocal,
                isLocal && local != null ? n.idleFor.toSeconds() : null,
                isLocal && local != null ? n.awakeFor.toSeconds() : null,
                n.lastWakeReason,
                n.lastWakeResult,
                n.lastWakeLatency == null ? null : n.lastWakeLatency.toMillis() / 1000.0,
                n.lastWakeAt,
                n.lastDecision,
                checks));
      }
    }
    return new PowerStatus(localNode, spec.controller(), dryRun, out);
  }

  public int getPort() {
    return api.port();
  }

  private void decide(String line) {
    LOG.info(line);
    for (Consumer<String> c : decisionLog) {
      c.accept(line);
    }
  }

  private WakeSendSpec wakeSpec() {
    return spec.wake() != null
        ? spec.wake()
        : new WakeSendSpec(
            List.of(),
            false,
            null,
            Duration.ofSeconds(120),
            22,
            3,
            Duration.ofSeconds(30),
            Duration.ofMinutes(15));
  }

  static IdlePolicy idle(PowerNodeSpec n) {
    return n.idle() != null
        ? n.idle()
        : new IdlePolicy(
            Duration.ofMinutes(30),
            Duration.ofMinutes(15),
            Duration.ofSeconds(60),
            true,
            List.of());
  }

  static SleepSpec sleepSpec(PowerNodeSpec n) {
    return n.sleep() != null
        ? n.sleep()
        : new SleepSpec(false, Duration.ofMinutes(5), List.of(), List.of());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    coordinator.close();
    pathWatchers.forEach(PathWatcher::close);
    for (String n : new ArrayList<>(held.keySet())) {
      release(n);
    }
    api.close();
    metrics.unregister();
    if (ownsKubernetes) {
      kubernetes.close();
    }
  }

  /** Mutable view of one node, guarded by its own monitor. */
  static final class NodeRuntime {
    final String name;
    final PowerNodeSpec spec;
    final byte[] mac;
    final byte[] secureOn;
    final String address;
    volatile NodeState state = NodeState.UNKNOWN;
    Map<String, ActivityVerdict> checks = Map.of();
    Duration idleFor = Duration.ZERO;
    Duration awakeFor = Duration.ZERO;
    String lastWakeReason;
    String lastWakeResult;
    Duration lastWakeLatency;
    String lastWakeAt;
    volatile String lastDecision;

    private NodeRuntime(
        String name, PowerNodeSpec spec, byte[] mac, byte[] secureOn, String address) {
      this.name = name;
      this.spec = spec;
      this.mac = mac;
      this.secureOn = secureOn;
      this.address = address;
    }

    static NodeRuntime of(String name, PowerNodeSpec spec, Node node, Map<String, String> env) {
      String mac = spec.mac() != null ? spec.mac() : node == null ? null : node.mac();
      String address =
          spec.address() != null ? spec.address() : node == null ? null : node.address();
      byte[] pw = null;
      Optional<String> secret = Secrets.resolve(spec.secureOn(), env);
      if (secret.isPresent()) {
        try {
          pw = MagicPacket.parseSecureOn(secret.get());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "power.nodes." + name + ".secureOn (" + spec.secureOn() + "): " + e.getMessage());
        }
      }
      if (spec.sleepable() && mac == null) {
        throw new IllegalArgumentException(
            "power.nodes."
                + name
                + ": sleepable but no MAC address (set nodes[].mac or power.nodes."
                + name
                + ".mac), so it could never be woken");
      }
      byte[] macBytes;
      try {
        macBytes = mac == null ? null : MagicPacket.parseMac(mac);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("power.nodes." + name + ".mac: " + e.getMessage());
      }
      return new NodeRuntime(name, spec, macBytes, pw, address);
    }
  }

  /** Formats a MAC for logs. */
  static final class MacText {
    static String of(byte[] mac) {
      return java.util.HexFormat.ofDelimiter(":").formatHex(mac);
    }
  }
}
