package dev.vigil.power;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.power.check.ProcNetTcp;
import dev.vigil.power.trigger.ConnectionAttempts;
import dev.vigil.power.trigger.PathWatcher;
import dev.vigil.power.trigger.SyslogTrigger;
import dev.vigil.spec.power.WakeSendSpec;
import dev.vigil.spec.power.WakeTriggers;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The wake side: wake requests (API, CLI) and, on the controller, the watch over the other nodes —
 * their state, held and scanned service ports, syslog patterns, watched paths and PromQL — each
 * turned into a wake through a {@link WakeCoordinator} (at most one in flight per node), which
 * sends the magic packets and verifies that the node answers.
 */
final class WakeController implements Closeable {
  private static final Logger LOG = Logger.getLogger(WakeController.class.getName());

  /** The longest pause between two rounds of the watch; trigger intervals may shorten it. */
  static final Duration MAX_WATCH_INTERVAL = Duration.ofSeconds(5);

  private final Map<String, ManagedNode> nodes;
  private final String localNode;
  private final WakeSendSpec wake;
  private final String prometheusUrl;
  private final Path procNet;
  private final PowerContext context;
  private final WakeCoordinator coordinator;
  private final WakeVerifier stateProbe;
  private final SyslogTrigger syslog;
  private final List<PathWatcher> pathWatchers = new ArrayList<>();
  private final HeldPorts held;

  /**
   * @param nodes every node of the power section, by name
   * @param localNode the node this agent runs on (never watched or woken by the watch), or null
   * @param action sends and verifies one wake; null for the real packets
   */
  WakeController(
      Map<String, ManagedNode> nodes,
      String localNode,
      WakeSendSpec wake,
      String prometheusUrl,
      Path procNet,
      WakeCoordinator.WakeAction action,
      PowerContext context) {
    this.nodes = nodes;
    this.localNode = localNode;
    this.wake = wake;
    this.prometheusUrl = prometheusUrl;
    this.procNet = procNet;
    this.context = context;
    this.stateProbe = new WakeVerifier(wake.verifyPort(), null);
    this.held = new HeldPorts(this::trigger, context.decide());
    this.coordinator =
        new WakeCoordinator(
            action != null ? action : this::sendAndVerify,
            new Listener(),
            context.clock(),
            wake.backoff(),
            wake.maxBackoff());
    Map<String, List<Pattern>> patterns = new HashMap<>();
    for (ManagedNode n : nodes.values()) {
      WakeTriggers t = n.spec.triggers();
      if (t != null && t.syslogPatterns() != null && !t.syslogPatterns().isEmpty()) {
        patterns.put(n.name, t.syslogPatterns().stream().map(Pattern::compile).toList());
      }
    }
    this.syslog = new SyslogTrigger(patterns, this::trigger);
  }

  /** Sleepable nodes other than this one: the ones the watch wakes. */
  private List<ManagedNode> wakeable() {
    return nodes.values().stream()
        .filter(n -> n.spec.sleepable() && !n.name.equals(localNode))
        .toList();
  }

  /** Every other node: sleepable ones are woken, the others only watched (asleep = alert). */
  private List<ManagedNode> watched() {
    return nodes.values().stream().filter(n -> !n.name.equals(localNode)).toList();
  }

  /**
   * Starts the path watchers of the controller role and returns how often {@link #tick()} should
   * run: every {@link #MAX_WATCH_INTERVAL}, or a node's shorter trigger interval.
   */
  Duration watch(Optional<Path> inotifyWait) throws IOException {
    Duration every = MAX_WATCH_INTERVAL;
    for (ManagedNode n : wakeable()) {
      WakeTriggers t = n.spec.triggers();
      if (t != null && t.interval() != null && t.interval().compareTo(every) < 0) {
        every = t.interval();
      }
      if (t != null && t.paths() != null && !t.paths().isEmpty()) {
        List<Path> paths = t.paths().stream().map(Path::of).toList();
        Consumer<String> onAccess = why -> trigger(n.name, "path access (" + why + ")");
        try {
          pathWatchers.add(PathWatcher.start(paths, inotifyWait, t.interval(), onAccess));
        } catch (IOException e) {
          // A share that is not mounted yet must not stop the agent: poll until it appears.
          context.decide().accept(n.name + ": " + e.getMessage() + "; polling instead");
          pathWatchers.add(PathWatcher.start(paths, Optional.empty(), t.interval(), onAccess));
        }
      }
    }
    return every;
  }

  /** The start-up line of the controller role. */
  String describe() {
    return "controller role: watching "
        + watched().stream().map(n -> n.name).toList()
        + ", waking "
        + wakeable().stream().map(n -> n.name).toList();
  }

  /** One round of state probes and trigger scans. */
  void tick() {
    List<ProcNetTcp.Entry> table = null;
    for (ManagedNode n : watched()) {
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
      NodeState before = n.swapState(s);
      context.metrics().state(n.name, s);
      if (before != s) {
        context.decide().accept(n.name + ": " + before.label() + " -> " + s.label());
      }
      WakeTriggers t = n.spec.triggers();
      if (t == null || !n.spec.sleepable()) {
        continue;
      }
      Set<Integer> ports = t.ports() == null ? Set.of() : new HashSet<>(t.ports());
      if (s == NodeState.SLEEPING) {
        if (t.holdPorts()) {
          held.hold(n.name, t.holdAddress(), ports);
        }
        if (!ports.isEmpty()) {
          try {
            if (table == null) {
              table = ProcNetTcp.read(procNet);
            }
            scanConnectionAttempts(n, ports, table);
          } catch (IOException e) {
            LOG.fine("cannot read TCP table: " + e.getMessage());
          }
        }
        if (t.promql() != null && !t.promql().isBlank()) {
          try {
            int count =
                new PrometheusClient(prometheusUrl, Duration.ofSeconds(5))
                    .query(t.promql())
                    .count();
            if (count > 0) {
              trigger(n.name, "promql " + t.promql());
            }
          } catch (IOException | IllegalArgumentException e) {
            if (Thread.currentThread().isInterrupted()) {
              return;
            }
            LOG.fine("wake PromQL for " + n.name + " failed: " + e.getMessage());
          }
        }
      } else if (s == NodeState.AWAKE) {
        held.release(n.name);
      }
    }
  }

  private void scanConnectionAttempts(
      ManagedNode n, Set<Integer> ports, List<ProcNetTcp.Entry> table) {
    List<ProcNetTcp.Entry> hits = ConnectionAttempts.find(table, ports, n.inetAddress);
    if (!hits.isEmpty()) {
      ProcNetTcp.Entry e = hits.get(0);
      trigger(
          n.name,
          "connection attempt "
              + e.remoteAddress().getHostAddress()
              + " -> port "
              + (e.state() == ProcNetTcp.SYN_SENT ? e.remotePort() : e.localPort()));
    }
  }

  /** Ports currently held for a sleeping node. */
  List<Integer> heldPorts(String node) {
    return held.ports(node);
  }

  /** The hook the syslog gateway feeds with each message text. */
  Consumer<String> syslogHook() {
    return syslog;
  }

  /**
   * An explicit wake request (API, CLI): always goes to the coordinator, whatever the node's state.
   *
   * @throws IllegalArgumentException for a node the power section does not list
   */
  WakeCoordinator.Admission request(String node, String reason) {
    ManagedNode n = nodes.get(node);
    if (n == null) {
      throw new IllegalArgumentException("unknown node '" + node + "'");
    }
    return admit(n, reason);
  }

  /**
   * A trigger fired: acts only while the node is seen asleep (or already waking, so a burst is
   * counted as suppressed); returns null when it did not act.
   */
  WakeCoordinator.Admission trigger(String node, String reason) {
    ManagedNode n = nodes.get(node);
    if (n == null || (n.state != NodeState.SLEEPING && n.state != NodeState.WAKING)) {
      return null;
    }
    return admit(n, reason);
  }

  private WakeCoordinator.Admission admit(ManagedNode n, String reason) {
    WakeCoordinator.Admission a = coordinator.request(n.name, reason);
    if (a == WakeCoordinator.Admission.STARTED) {
      n.setState(NodeState.WAKING);
      context.metrics().state(n.name, NodeState.WAKING);
    }
    return a;
  }

  Duration retryAfter(String node) {
    return coordinator.retryAfter(node);
  }

  private WakeCoordinator.Outcome sendAndVerify(String node, String reason)
      throws InterruptedException {
    ManagedNode n = nodes.get(node);
    if (n.mac == null) {
      return new WakeCoordinator.Outcome(false, Duration.ZERO, "no MAC address known for " + node);
    }
    if (context.dryRun()) {
      context
          .decide()
          .accept(
              "dry-run: would send magic packet for "
                  + node
                  + " ("
                  + java.util.HexFormat.ofDelimiter(":").formatHex(n.mac)
                  + ") to ports "
                  + (wake.ports() == null || wake.ports().isEmpty()
                      ? WakeSender.DEFAULT_PORTS
                      : wake.ports())
                  + (n.secureOn != null ? " with SecureOn password" : ""));
      return new WakeCoordinator.Outcome(false, Duration.ZERO, "dry-run");
    }
    Waker waker =
        new Waker(
            new WakeSender(wake.ports(), wake.etherwake(), wake.etherwakeInterface()),
            new WakeVerifier(wake.verifyPort(), context.kubernetes()),
            context.clock(),
            wake.verifyTimeout(),
            wake.retries(),
            Duration.ofSeconds(2));
    return waker.wake(n.mac, n.secureOn, n.address, node, true, context.decide());
  }

  /** Keeps the status and the metrics in step with each wake. */
  private final class Listener implements WakeCoordinator.Listener {
    @Override
    public void started(String node, String reason) {
      context.decide().accept("waking " + node + ": " + reason);
    }

    @Override
    public void finished(String node, String reason, WakeCoordinator.Outcome o) {
      ManagedNode n = nodes.get(node);
      String result = "dry-run".equals(o.detail()) ? "dry_run" : o.woke() ? "woke" : "failed";
      context.metrics().wakes.labelValues(node, result).inc();
      if (o.woke()) {
        context.metrics().wakeLatency.labelValues(node).observe(o.latency().toNanos() / 1e9);
      }
      NodeState now;
      synchronized (n) {
        n.lastWakeReason = reason;
        n.lastWakeResult = result + (o.detail() == null ? "" : ": " + o.detail());
        n.lastWakeLatency = o.woke() ? o.latency() : null;
        n.lastWakeAt = Instant.ofEpochMilli(context.clock().wallMillis()).toString();
        if (n.state == NodeState.WAKING) {
          n.state = o.woke() ? NodeState.AWAKE : NodeState.SLEEPING;
        }
        now = n.state;
      }
      context.metrics().state(node, now);
      context
          .decide()
          .accept(
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
      context
          .metrics()
          .suppressed
          .labelValues(node, why.name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .inc();
      LOG.fine("wake of " + node + " suppressed (" + why + "): " + reason);
    }
  }

  @Override
  public void close() {
    coordinator.close();
    pathWatchers.forEach(PathWatcher::close);
    held.releaseAll();
  }
}
