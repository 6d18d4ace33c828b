package dev.vigil.power;

import dev.vigil.power.check.ActivityCheck;
import dev.vigil.power.check.ActivityVerdict;
import dev.vigil.spec.power.IdlePolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role of a sleepable node's own agent: each round runs the activity checks, feeds the idle
 * state machine and, when it says so, carries out the {@link SleepAction}.
 */
final class SleepingNode {
  private final ManagedNode node;
  private final IdlePolicy policy;
  private final List<ActivityCheck> checks;
  private final IdleStateMachine machine;
  private final SleepAction sleep;
  private final PowerMetrics metrics;

  SleepingNode(
      ManagedNode node,
      IdlePolicy policy,
      List<ActivityCheck> checks,
      SleepAction sleep,
      PowerMetrics metrics,
      MonotonicClock clock) {
    this.node = node;
    this.policy = policy;
    this.checks = List.copyOf(checks);
    this.sleep = sleep;
    this.metrics = metrics;
    // Three missed rounds mean nobody was looking: idle time starts again.
    this.machine =
        new IdleStateMachine(
            policy.idleAfter(), policy.minUptime(), policy.interval().multipliedBy(3), clock);
  }

  ManagedNode node() {
    return node;
  }

  Duration interval() {
    return policy.interval();
  }

  /** The start-up line of this role. */
  String describe() {
    return "node role: "
        + node.name
        + " sleeps after "
        + policy.idleAfter()
        + " idle, checks "
        + checks.stream().map(ActivityCheck::name).toList();
  }

  /** One round of checks, and the sleep when it is due. */
  void tick() {
    sleep.uncordonIfDue();
    Map<String, ActivityVerdict> verdicts = new LinkedHashMap<>();
    boolean allIdle = true;
    for (ActivityCheck c : checks) {
      ActivityVerdict v = c.safeCheck();
      verdicts.put(c.name(), v);
      metrics.verdict(node.name, c.name(), v);
      if (v.keepsAwake(policy.errorCountsAsActive())) {
        allIdle = false;
      }
    }
    IdleStateMachine.Decision d = machine.evaluate(allIdle);
    synchronized (node) {
      node.checks = verdicts;
      node.idleFor = machine.idleFor();
      node.awakeFor = machine.awakeFor();
      node.state = d == IdleStateMachine.Decision.ACTIVE ? NodeState.AWAKE : NodeState.IDLE;
    }
    metrics.idleSeconds.labelValues(node.name).set(machine.idleFor().toMillis() / 1000.0);
    metrics.state(node.name, node.state);
    switch (d) {
      case SLEEP -> sleepNow();
      case HOLD_MIN_UPTIME ->
          node.lastDecision = "idle, but within minimum uptime " + policy.minUptime();
      case ACTIVE ->
          node.lastDecision =
              "active: "
                  + verdicts.entrySet().stream()
                      .filter(e -> e.getValue().keepsAwake(policy.errorCountsAsActive()))
                      .map(e -> e.getKey() + " (" + e.getValue().detail() + ")")
                      .findFirst()
                      .orElse("");
      case IDLE ->
          node.lastDecision =
              "idle for "
                  + machine.idleFor().toSeconds()
                  + "s of "
                  + policy.idleAfter().toSeconds()
                  + "s";
    }
  }

  private void sleepNow() {
    String outcome;
    try {
      outcome = sleep.run();
    } catch (InterruptedException e) {
      // The agent is stopping: neither slept nor gave up, so nothing to record.
      Thread.currentThread().interrupt();
      return;
    }
    node.lastDecision = outcome;
    // Slept, refused or dry-run: either way the idle period starts again from here.
    machine.woke();
  }
}
