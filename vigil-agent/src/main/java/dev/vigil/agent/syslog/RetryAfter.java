package dev.vigil.agent.syslog;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The HTTP {@code Retry-After} header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
final class RetryAfter {
  /** The longest wait a Retry-After can impose: a wrong value must not stall delivery for days. */
  static final long MAX_MILLIS = 10 * 60_000;

  private RetryAfter() {}

  /** Milliseconds to wait from {@code nowMillis}; 0 when absent or unreadable. */
  static long millis(String value, long nowMillis) {
    if (value == null) {
      return 0;
    }
    String v = value.trim();
    if (v.matches("\\d{1,10}")) {
      return Math.min(MAX_MILLIS, Long.parseLong(v) * 1000);
    }
    try {
      long at =
          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, Math.min(MAX_MILLIS, at - nowMillis));
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
