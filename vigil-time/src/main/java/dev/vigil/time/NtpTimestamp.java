package dev.vigil.time;

import java.time.Instant;

/**
 * NTP's 64-bit timestamp: 32 bits of seconds since 1900-01-01 and 32 bits of binary fraction.
 *
 * <p>Era 0 ends in 2036; values whose top bit is clear are read as era 1 (RFC 4330 section 3), so
 * conversion stays correct from 1968 to 2104.
 */
public final class NtpTimestamp {
  /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
  public static final long UNIX_OFFSET_SECONDS = 2_208_988_800L;

  private static final long ERA_SECONDS = 1L << 32;

  private NtpTimestamp() {}

  /** Encodes nanoseconds since the Unix epoch. */
  public static long fromEpochNanos(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
    long ntpSeconds = (seconds + UNIX_OFFSET_SECONDS) & 0xFFFF_FFFFL;
    // Round to the nearest fraction unit (~233 ps) rather than truncating.
    long fraction = ((nanos << 32) + 500_000_000L) / 1_000_000_000L;
    if (fraction > 0xFFFF_FFFFL) {
      fraction = 0xFFFF_FFFFL;
    }
    return (ntpSeconds << 32) | fraction;
  }

  /** Decodes to nanoseconds since the Unix epoch; 0 (unset) decodes to the NTP epoch of era 0. */
  public static long toEpochNanos(long ntp) {
    long seconds = ntp >>> 32;
    long fraction = ntp & 0xFFFF_FFFFL;
    if ((seconds & 0x8000_0000L) == 0) {
      seconds += ERA_SECONDS;
    }
    long nanos = (fraction * 1_000_000_000L + (1L << 31)) >>> 32;
    return (seconds - UNIX_OFFSET_SECONDS) * 1_000_000_000L + nanos;
  }

  public static long fromInstant(Instant instant) {
    return fromEpochNanos(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
  }

  public static Instant toInstant(long ntp) {
    long n = toEpochNanos(ntp);
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  /** NTP short format (16.16 fixed point seconds), used for root delay and dispersion. */
  public static double shortToSeconds(int value) {
    return (value & 0xFFFF_FFFFL) / 65536.0;
  }

  public static int secondsToShort(double seconds) {
    if (seconds <= 0) {
      return 0;
    }
    long v = Math.round(seconds * 65536.0);
    return (int) Math.min(v, 0xFFFF_FFFFL);
  }
}
