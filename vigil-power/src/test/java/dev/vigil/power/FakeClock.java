package dev.vigil.power;

import java.time.Duration;

/** A clock the test moves: monotonic and wall time advance together unless the wall one jumps. */
final class FakeClock implements MonotonicClock {
  private long nanos = 1_000_000_000L;
  private long wall = 1_790_000_000_000L;

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized long wallMillis() {
    return wall;
  }

  synchronized void advance(Duration d) {
    nanos += d.toNanos();
    wall += d.toMillis();
  }

  /** A step of the wall clock only (NTP step, RTC reset, operator typing date -s). */
  synchronized void jumpWall(Duration d) {
    wall += d.toMillis();
  }
}
