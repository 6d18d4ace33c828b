package dev.vigil.time;

import java.time.Instant;

/**
 * Source of the wall-clock time stamped into NTP packets, in nanoseconds since the Unix epoch.
 *
 * <p>The system implementation reads {@link Instant#now()}, which on Linux with JDK 17 comes from
 * {@code clock_gettime(CLOCK_REALTIME)} with microsecond resolution or better: far below the
 * millisecond budget of the measurements. Tests substitute a shifted clock to play a liar.
 */
@FunctionalInterface
public interface WallClock {
  long epochNanos();

  WallClock SYSTEM =
      () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      };

  /** This clock shifted by a fixed amount (positive = ahead). */
  default WallClock shiftedBy(long nanos) {
    return () -> epochNanos() + nanos;
  }
}
