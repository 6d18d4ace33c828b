package dev.vigil.power;

import java.time.Duration;

/**
 * Decides when a node may sleep, on the monotonic clock only.
 *
 * <p>Idle time counts only across continuous observations: if two evaluations are further apart
 * than {@code maxGap} (the agent stalled, the machine was suspended, a debugger paused it), the
 * idle period starts again, because nobody looked in between. A wall-clock step changes nothing
 * here since the wall clock is never read.
 */
public final class IdleStateMachine {
  public enum Decision {
    /** Some check reports activity. */
    ACTIVE,
    /** Every check is idle, but not for long enough yet. */
    IDLE,
    /** Idle long enough, but within the minimum uptime after waking. */
    HOLD_MIN_UPTIME,
    /** Idle long enough: sleep now. */
    SLEEP
  }

  private final Duration idleAfter;
  private final Duration minUptime;
  private final long maxGapNanos;
  private final MonotonicClock clock;
  private long awakeSince;
  private long idleSince = Long.MIN_VALUE;
  private long lastEvaluation = Long.MIN_VALUE;

  public IdleStateMachine(
      Duration idleAfter, Duration minUptime, Duration maxGap, MonotonicClock clock) {
    if (idleAfter.isNegative() || idleAfter.isZero()) {
      throw new IllegalArgumentException("idleAfter must be positive");
    }
    if (minUptime.isNegative()) {
      throw new IllegalArgumentException("minUptime must not be negative");
    }
    this.idleAfter = idleAfter;
    this.minUptime = minUptime;
    this.maxGapNanos = maxGap.toNanos();
    this.clock = clock;
    this.awakeSince = clock.nanoTime();
  }

  /** The node (re)started or woke: minimum uptime starts now, idle time is forgotten. */
  public synchronized void woke() {
    awakeSince = clock.nanoTime();
    idleSince = Long.MIN_VALUE;
    lastEvaluation = Long.MIN_VALUE;
  }

  /** Feeds one round of checks; {@code allIdle} is true only when every check said idle. */
  public synchronized Decision evaluate(boolean allIdle) {
    long now = clock.nanoTime();
    boolean gap = lastEvaluation != Long.MIN_VALUE && now - lastEvaluation > maxGapNanos;
    lastEvaluation = now;
    if (!allIdle) {
      idleSince = Long.MIN_VALUE;
      return Decision.ACTIVE;
    }
    if (idleSince == Long.MIN_VALUE || gap) {
      idleSince = now;
    }
    if (now - idleSince < idleAfter.toNanos()) {
      return Decision.IDLE;
    }
    if (now - awakeSince < minUptime.toNanos()) {
      return Decision.HOLD_MIN_UPTIME;
    }
    return Decision.SLEEP;
  }

  /** How long every check has been idle, zero when active. */
  public synchronized Duration idleFor() {
    return idleSince == Long.MIN_VALUE
        ? Duration.ZERO
        : Duration.ofNanos(clock.nanoTime() - idleSince);
  }

  public synchronized Duration awakeFor() {
    return Duration.ofNanos(clock.nanoTime() - awakeSince);
  }

  public Duration idleAfter() {
    return idleAfter;
  }
}
