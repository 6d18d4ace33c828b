package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole node role — checks, state machine, sleep decision — driven minute by minute on a test
 * clock, with the wall clock stepped in between.
 */
class PowerManagerClockTest {
  private static String spec(String command, boolean errorCountsAsActive) {
    return """
    enabled: true
    dryRun: true
    controller: master
    nodes:
      master: {sleepable: false}
      storage:
        mac: b8:ac:6f:7e:6c:9d
        idle:
          idleAfter: 30m
          minUptime: 15m
          interval: 1m
          errorCountsAsActive: %s
          checks:
            - kind: command
              name: backup-running
              command: %s
    """
        .formatted(errorCountsAsActive, command);
  }

  /** Minutes (since start) at which a sleep was decided within {@code minutes}. */
  private static List<Integer> sleepMinutes(String yaml, int minutes, int jumpAt, long jumpSeconds)
      throws Exception {
    FakeClock clock = new FakeClock();
    List<String> decisions = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    try (PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("storage")
            .registry(new PrometheusRegistry())
            .clock(clock)
            .schedule(false)
            .api("127.0.0.1", 0)
            .decisionLog(decisions::add)
            .buildAndStart()) {
      for (int minute = 0; minute <= minutes; minute++) {
        if (minute == jumpAt) {
          clock.jumpWall(Duration.ofSeconds(jumpSeconds));
        }
        int before = decisions.size();
        m.localTick();
        if (decisions.subList(before, decisions.size()).stream()
            .anyMatch(d -> d.startsWith("dry-run: would sleep storage"))) {
          at.add(minute);
        }
        clock.advance(Duration.ofMinutes(1));
      }
    }
    return at;
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "5, 3600", "5, -3600", "29, 3600", "29, -3600", "45, 3600", "45, -3600"})
  void wallClockStepsNeitherCauseNorDelaySleep(int jumpAt, long jumpSeconds) throws Exception {
    String yaml = spec("['false']", true);
    List<Integer> reference = sleepMinutes(yaml, 75, -1, 0);
    // After a (dry-run) sleep the idle period restarts with the next observation.
    assertThat(reference).containsExactly(30, 61);
    assertThat(sleepMinutes(yaml, 75, jumpAt, jumpSeconds)).isEqualTo(reference);
  }

  @ParameterizedTest
  @CsvSource({"true, 0", "false, 2"})
  void aFailingCheckKeepsTheNodeAwakeUnlessConfiguredOtherwise(
      boolean errorCountsAsActive, int expectedSleeps) throws Exception {
    String yaml = spec("['sh', '-c', 'exit 3']", errorCountsAsActive);
    assertThat(sleepMinutes(yaml, 75, -1, 0)).hasSize(expectedSleeps);
  }

  @org.junit.jupiter.api.Test
  void theSleepCommandRunsOnceAtTheEndOfTheIdlePeriod(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("slept");
    String yaml =
        """
        enabled: true
        nodes:
          storage:
            mac: b8:ac:6f:7e:6c:9d
            idle:
              idleAfter: 30m
              minUptime: 15m
              interval: 1m
              checks: [{kind: command, command: ['false']}]
            sleep:
              command: ['sh', '-c', 'echo slept >> %s']
          homelab:
            mac: d0:94:66:30:d6:63
            idle:
              interval: 1m
              checks: [{kind: command, command: ['false']}]
            sleep: {drain: true}
        """
            .formatted(log);
    FakeClock clock = new FakeClock();
    List<String> decisions = new ArrayList<>();
    try (PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("storage")
            .registry(new PrometheusRegistry())
            .env(java.util.Map.of())
            .clock(clock)
            .schedule(false)
            .api("127.0.0.1", 0)
            .decisionLog(decisions::add)
            .buildAndStart()) {
      for (int minute = 0; minute < 30; minute++) {
        m.localTick();
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(log).doesNotExist();
      m.localTick();
      assertThat(java.nio.file.Files.readString(log)).isEqualTo("slept\n");
      assertThat(m.status().nodes().get(0).lastDecision()).isEqualTo("slept");
      // Back from sleep: the minimum uptime and a new idle period apply.
      for (int minute = 0; minute < 20; minute++) {
        clock.advance(Duration.ofMinutes(1));
        m.localTick();
      }
      assertThat(java.nio.file.Files.readString(log)).isEqualTo("slept\n");
    }

    // A drain without Kubernetes access is refused: the node stays awake.
    List<String> homelab = new ArrayList<>();
    FakeClock clock2 = new FakeClock();
    try (PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("homelab")
            .registry(new PrometheusRegistry())
            .env(java.util.Map.of())
            .clock(clock2)
            .schedule(false)
            .api("127.0.0.1", 0)
            .decisionLog(homelab::add)
            .buildAndStart()) {
      for (int minute = 0; minute <= 30; minute++) {
        m.localTick();
        clock2.advance(Duration.ofMinutes(1));
      }
      assertThat(homelab)
          .contains("not sleeping homelab: drain requested but no Kubernetes client");
    }
  }
}
