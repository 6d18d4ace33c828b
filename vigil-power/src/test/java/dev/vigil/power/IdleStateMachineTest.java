package dev.vigil.power;

import static dev.vigil.power.IdleStateMachine.Decision.ACTIVE;
import static dev.vigil.power.IdleStateMachine.Decision.HOLD_MIN_UPTIME;
import static dev.vigil.power.IdleStateMachine.Decision.IDLE;
import static dev.vigil.power.IdleStateMachine.Decision.SLEEP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdleStateMachineTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static IdleStateMachine machine(FakeClock clock) {
    return new IdleStateMachine(
        Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(3), clock);
  }

  /** Evaluates once a minute with every check idle; returns the minute at which SLEEP came. */
  private static int minutesUntilSleep(
      FakeClock clock, IdleStateMachine m, int jumpAtMinute, Duration jump) {
    for (int minute = 0; minute <= 120; minute++) {
      if (minute == jumpAtMinute) {
        clock.jumpWall(jump);
      }
      if (m.evaluate(true) == SLEEP) {
        return minute;
      }
      clock.advance(MINUTE);
    }
    return -1;
  }

  @Test
  void sleepsExactlyAfterTheIdlePeriod() {
    FakeClock clock = new FakeClock();
    clock.advance(Duration.ofHours(1)); // past the minimum uptime
    IdleStateMachine m = machine(clock);
    m.woke();
    clock.advance(Duration.ofMinutes(20));
    assertThat(minutesUntilSleep(clock, m, -1, Duration.ZERO)).isEqualTo(30);
  }

  @ParameterizedTest
  @ValueSource(longs = {3600, -3600})
  void wallClockJumpNeitherCausesNorDelaysSleep(long jumpSeconds) {
    FakeClock reference = new FakeClock();
    IdleStateMachine r = machine(reference);
    reference.advance(Duration.ofMinutes(20));
    int expected = minutesUntilSleep(reference, r, -1, Duration.ZERO);

    for (int jumpAt : new int[] {0, 1, 10, 29}) {
      FakeClock clock = new FakeClock();
      IdleStateMachine m = machine(clock);
      clock.advance(Duration.ofMinutes(20));
      int actual = minutesUntilSleep(clock, m, jumpAt, Duration.ofSeconds(jumpSeconds));
      assertThat(actual).as("jump of %ds at minute %d", jumpSeconds, jumpAt).isEqualTo(expected);
    }
    assertThat(expected).isEqualTo(30);
  }

  @Test
  void wallClockJumpWhileActiveDoesNotMakeActivityLookOld() {
    FakeClock clock = new FakeClock();
    IdleStateMachine m = machine(clock);
    clock.advance(Duration.ofHours(1));
    assertThat(m.evaluate(false)).isEqualTo(ACTIVE);
    clock.jumpWall(Duration.ofHours(1));
    clock.advance(MINUTE);
    assertThat(m.evaluate(true)).isEqualTo(IDLE);
    assertThat(m.idleFor()).isEqualTo(Duration.ZERO);
    for (int minute = 1; minute < 30; minute++) {
      clock.advance(MINUTE);
      assertThat(m.evaluate(true)).as("minute %d", minute).isEqualTo(IDLE);
    }
    clock.advance(MINUTE);
    assertThat(m.evaluate(true)).isEqualTo(SLEEP);
  }

  @Test
  void anyActivityRestartsTheIdlePeriod() {
    FakeClock clock = new FakeClock();
    IdleStateMachine m = machine(clock);
    clock.advance(Duration.ofHours(1));
    List<IdleStateMachine.Decision> seen = new ArrayList<>();
    for (int minute = 0; minute < 60; minute++) {
      seen.add(m.evaluate(minute != 25));
      clock.advance(MINUTE);
    }
    assertThat(seen.subList(0, 25)).containsOnly(IDLE);
    assertThat(seen.get(25)).isEqualTo(ACTIVE);
    assertThat(seen.subList(26, 56)).containsOnly(IDLE);
    assertThat(seen.get(56)).isEqualTo(SLEEP);
  }

  @Test
  void neverSleepsWithinMinimumUptimeAfterWaking() {
    FakeClock clock = new FakeClock();
    IdleStateMachine m =
        new IdleStateMachine(
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(3), clock);
    m.woke();
    List<IdleStateMachine.Decision> seen = new ArrayList<>();
    for (int minute = 0; minute <= 15; minute++) {
      seen.add(m.evaluate(true));
      clock.advance(MINUTE);
    }
    assertThat(seen.subList(0, 5)).containsOnly(IDLE);
    assertThat(seen.subList(5, 15)).containsOnly(HOLD_MIN_UPTIME);
    assertThat(seen.get(15)).isEqualTo(SLEEP);
  }

  @Test
  void aGapInObservationsRestartsTheIdlePeriod() {
    FakeClock clock = new FakeClock();
    IdleStateMachine m = machine(clock);
    clock.advance(Duration.ofHours(1));
    assertThat(m.evaluate(true)).isEqualTo(IDLE);
    clock.advance(Duration.ofMinutes(40)); // the agent was stalled: nobody checked in between
    assertThat(m.evaluate(true)).isEqualTo(IDLE);
    assertThat(m.idleFor()).isZero();
  }
}
