package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.power.check.ActivityCheck;
import dev.vigil.power.check.ActivityVerdict;
import dev.vigil.spec.power.PowerNodeSpec;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The node role on a test clock: checks whose verdicts follow a script of minutes, a dry-run sleep
 * action, and what the role writes to the node's status and metrics each round.
 */
class SleepingNodeTest {
  private final FakeClock clock = new FakeClock();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PowerMetrics metrics = new PowerMetrics(registry);
  private final List<String> decisions = new ArrayList<>();
  private int minute;

  /** A check whose verdict at each minute comes from {@code script}. */
  private ActivityCheck scripted(String name, IntFunction<ActivityVerdict> script) {
    return new ActivityCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ActivityVerdict check() {
        return script.apply(minute);
      }
    };
  }

  private SleepingNode role(boolean errorCountsAsActive, ActivityCheck... checks) {
    PowerNodeSpec spec =
        Specs.power(
                """
                enabled: true
                dryRun: true
                nodes:
                  storage:
                    mac: b8:ac:6f:7e:6c:9d
                    idle:
                      idleAfter: 30m
                      minUptime: 45m
                      interval: 1m
                      errorCountsAsActive: %s
                      checks: [{kind: users}]
                """
                    .formatted(errorCountsAsActive))
            .nodes()
            .get("storage");
    ManagedNode node = ManagedNode.of("storage", spec, null, Map.of());
    PowerContext context = new PowerContext(true, null, clock, metrics, decisions::add);
    SleepAction action =
        new SleepAction("storage", PowerDefaults.sleep(spec), Duration.ofMinutes(1), context);
    return new SleepingNode(
        node, PowerDefaults.idle(spec), List.of(checks), action, metrics, clock);
  }

  /** Runs one round a minute up to {@code until}; returns the minutes at which it slept. */
  private List<Integer> run(SleepingNode role, int until) {
    List<Integer> slept = new ArrayList<>();
    for (minute = 0; minute <= until; minute++) {
      int before = decisions.size();
      role.tick();
      if (decisions.subList(before, decisions.size()).stream()
          .anyMatch(d -> d.startsWith("dry-run: would sleep storage"))) {
        slept.add(minute);
      }
      clock.advance(Duration.ofMinutes(1));
    }
    return slept;
  }

  @Test
  void sleepsAfterTheIdlePeriodButNotWithinTheMinimumUptime() {
    SleepingNode role = role(true, scripted("users", m -> ActivityVerdict.idle("nobody")));
    // Idle from minute 0, but the minimum uptime of 45 minutes holds it until then; after the
    // (dry-run) sleep, uptime and idle time start again.
    assertThat(run(role, 100)).containsExactly(45, 90);
    assertThat(role.node().lastDecision).isEqualTo("idle for 540s of 1800s");
    assertThat(Metrics.value(registry, "vigil_power_sleeps", "node", "storage", "dry_run", "true"))
        .isEqualTo(2);
  }

  @Test
  void reportsEachStateInTheStatusAndTheMetrics() {
    SleepingNode role =
        role(
            true,
            scripted(
                "jellyfin",
                m -> m < 5 ? ActivityVerdict.active("1 stream") : ActivityVerdict.idle("none")),
            scripted("load", m -> ActivityVerdict.idle("load 0.10")));
    run(role, 4);
    ManagedNode n = role.node();
    assertThat(n.state).isEqualTo(NodeState.AWAKE);
    assertThat(n.lastDecision).isEqualTo("active: jellyfin (1 stream)");
    assertThat(n.checks).containsOnlyKeys("jellyfin", "load");
    assertThat(
            Metrics.value(
                registry,
                "vigil_power_check_verdict",
                "node",
                "storage",
                "check",
                "jellyfin",
                "verdict",
                "active"))
        .isEqualTo(1);
    assertThat(
            Metrics.value(registry, "vigil_power_node_state", "node", "storage", "state", "awake"))
        .isEqualTo(1);

    // Minutes 5 to 34: idle and counting; 35 on: idle long enough, held by the minimum uptime.
    minute = 5;
    for (; minute < 35; minute++) {
      role.tick();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(n.state).isEqualTo(NodeState.IDLE);
    assertThat(n.lastDecision).isEqualTo("idle for 1740s of 1800s");
    assertThat(n.idleFor).isEqualTo(Duration.ofMinutes(29));
    assertThat(Metrics.value(registry, "vigil_power_node_idle_seconds", "node", "storage"))
        .isEqualTo(29 * 60);
    assertThat(
            Metrics.value(registry, "vigil_power_node_state", "node", "storage", "state", "idle"))
        .isEqualTo(1);
    assertThat(
            Metrics.value(registry, "vigil_power_node_state", "node", "storage", "state", "awake"))
        .isZero();
    role.tick();
    assertThat(n.lastDecision).isEqualTo("idle, but within minimum uptime PT45M");
  }

  @ParameterizedTest
  @CsvSource({"true, 0", "false, 2"})
  void aFailingCheckKeepsTheNodeAwakeUnlessConfiguredOtherwise(
      boolean errorCountsAsActive, int sleeps) {
    SleepingNode role =
        role(errorCountsAsActive, scripted("backup", m -> ActivityVerdict.error("exit 3")));
    assertThat(run(role, 100)).hasSize(sleeps);
    assertThat(
            Metrics.value(
                registry,
                "vigil_power_check_verdict",
                "node",
                "storage",
                "check",
                "backup",
                "verdict",
                "error"))
        .isEqualTo(1);
  }
}
