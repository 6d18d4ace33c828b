package dev.vigil.power;

import dev.vigil.power.check.CommandRunner;
import dev.vigil.spec.power.SleepSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a node does to go to sleep: drain it (cordon, evict respecting disruption budgets), re-arm
 * Wake-on-LAN, run the sleep command; after the resume, uncordon it. A drain that cannot finish
 * aborts the sleep and leaves the node schedulable again.
 */
final class SleepAction {
  static final List<String> DEFAULT_COMMAND = List.of("systemctl", "suspend");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EVICTION_RETRY = Duration.ofSeconds(5);

  private final String node;
  private final SleepSpec spec;
  private final Duration uncordonDelay;
  private final boolean dryRun;
  private final KubernetesClient kubernetes;
  private final MonotonicClock clock;
  private final PowerMetrics metrics;
  private final Consumer<String> decide;
  private long uncordonAt = Long.MIN_VALUE;

  /**
   * @param uncordonDelay time after the sleep command returns (on the monotonic clock, which stands
   *     still while suspended) until the node is uncordoned
   * @param context without cluster access a drain is refused
   */
  SleepAction(String node, SleepSpec spec, Duration uncordonDelay, PowerContext context) {
    this.node = node;
    this.spec = spec;
    this.uncordonDelay = uncordonDelay;
    this.dryRun = context.dryRun();
    this.kubernetes = context.kubernetes();
    this.clock = context.clock();
    this.metrics = context.metrics();
    this.decide = context.decide();
  }

  List<String> command() {
    return spec.command() == null || spec.command().isEmpty() ? DEFAULT_COMMAND : spec.command();
  }

  private List<String> wolInterfaces() {
    return spec.wolInterfaces() == null ? List.of() : spec.wolInterfaces();
  }

  /**
   * Carries out the sleep and returns when the node is back (or gave up). The result is the line
   * the status shows as the node's last decision.
   *
   * @throws InterruptedException while draining; the node is then left as it is
   */
  String run() throws InterruptedException {
    String plan =
        "sleep "
            + node
            + ": drain="
            + spec.drain()
            + ", re-arm WOL on "
            + wolInterfaces()
            + ", run "
            + command();
    metrics.sleeps.labelValues(node, String.valueOf(dryRun)).inc();
    if (dryRun) {
      decide.accept("dry-run: would " + plan);
      return "dry-run: would " + plan;
    }
    decide.accept(plan);
    if (spec.drain()) {
      String refused = drain();
      if (refused != null) {
        return refused;
      }
    }
    for (String iface : wolInterfaces()) {
      runQuietly(List.of("ethtool", "-s", iface, "wol", "g"), "re-arm WOL on " + iface);
    }
    boolean ok = runQuietly(command(), "sleep command");
    if (spec.drain()) {
      uncordonAt = clock.nanoTime() + uncordonDelay.toNanos();
    }
    return ok ? "slept" : "sleep command failed";
  }

  /** Cordons and drains; returns why the sleep is aborted, or null when the node is drained. */
  private String drain() throws InterruptedException {
    if (kubernetes == null) {
      decide.accept("not sleeping " + node + ": drain requested but no Kubernetes client");
      return "sleep aborted: no Kubernetes client for drain";
    }
    Drainer drainer = new Drainer(kubernetes, clock, EVICTION_RETRY);
    try {
      drainer.cordon(node);
      Drainer.Result r = drainer.drain(node, spec.drainTimeout());
      if (!r.drained()) {
        drainer.uncordon(node);
        decide.accept("not sleeping " + node + ": drain blocked by " + r.blocked());
        return "sleep aborted: drain blocked by " + r.blocked();
      }
      return null;
    } catch (RuntimeException e) {
      decide.accept("not sleeping " + node + ": drain failed: " + e.getMessage());
      uncordon();
      return "sleep aborted: drain failed";
    }
  }

  /** Uncordons once the delay after a drained sleep has passed; called every check round. */
  void uncordonIfDue() {
    if (uncordonAt != Long.MIN_VALUE && clock.nanoTime() - uncordonAt >= 0) {
      uncordonAt = Long.MIN_VALUE;
      uncordon();
    }
  }

  private void uncordon() {
    if (kubernetes == null) {
      return;
    }
    try {
      new Drainer(kubernetes, clock, EVICTION_RETRY).uncordon(node);
      decide.accept("uncordoned " + node);
    } catch (RuntimeException e) {
      decide.accept("uncordon of " + node + " failed: " + e.getMessage());
    }
  }

  private boolean runQuietly(List<String> command, String what) throws InterruptedException {
    try {
      CommandRunner.Result r = CommandRunner.run(command, COMMAND_TIMEOUT);
      if (r.exitCode() != 0) {
        decide.accept(what + " failed: exit " + r.exitCode() + ": " + r.output().strip());
        return false;
      }
      return true;
    } catch (IOException e) {
      decide.accept(what + " failed: " + e.getMessage());
      return false;
    }
  }
}
