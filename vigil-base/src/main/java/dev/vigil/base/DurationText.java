package dev.vigil.base;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of Vigil, as Prometheus writes durations: units {@code y w d h m s ms},
 * largest first, each at most once ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 7d}, {@code
 * 250ms}). A year is 365 days, as in Prometheus. A bare number is refused: a unit is always
 * required, so {@code 30} cannot mean seconds in one place and nanoseconds in another. Durations
 * longer than {@link #MAX} are refused too, so every parsed value converts to nanoseconds without
 * overflow wherever it is used.
 */
public final class DurationText {
  /** The accepted syntax, also published in the JSON Schema. */
  public static final String SCHEMA_PATTERN =
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$";

  /** What error messages say was expected. */
  public static final String EXPECTED = "a duration such as 30s, 5m, 1h";

  /** The longest duration accepted: 290 years, the most a signed 64-bit nanosecond count holds. */
  public static final Duration MAX = Duration.ofDays(290L * 365);

  private static final String MAX_TEXT_FORM = "290y";

  private static final Pattern SYNTAX = Pattern.compile(SCHEMA_PATTERN);
  private static final long[] MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1
  };
  private static final long[] FORMAT_MILLIS = {
    7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1
  };
  private static final String[] FORMAT_UNITS = {"w", "d", "h", "m", "s", "ms"};
  private static final int MAX_TEXT = 64;

  private DurationText() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException saying what was expected and what was given
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got nothing");
    }
    String shown = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
    Matcher m = text.length() > MAX_TEXT ? null : SYNTAX.matcher(text);
    if (m == null || !m.matches()) {
      String hint = text.matches("[0-9]+(\\.[0-9]+)?") ? " (a unit is required)" : "";
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + shown + "'" + hint);
    }
    long total = 0;
    try {
      for (int i = 0; i < MILLIS.length; i++) {
        String n = m.group(2 * i + 2);
        if (n != null) {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(n), MILLIS[i]));
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      total = Long.MAX_VALUE;
    }
    if (total > MAX.toMillis()) {
      throw new IllegalArgumentException(
          "duration '" + shown + "' is too long: at most " + MAX_TEXT_FORM);
    }
    return Duration.ofMillis(total);
  }

  /**
   * The duration as Prometheus, Loki and Alertmanager read it: {@code 30s}, {@code 1h30m}, {@code
   * 2w1d}; largest units first, no zero parts, {@code 0s} for zero. Sub-millisecond parts are
   * dropped.
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    for (int i = 0; i < FORMAT_MILLIS.length; i++) {
      long n = ms / FORMAT_MILLIS[i];
      if (n > 0) {
        sb.append(n).append(FORMAT_UNITS[i]);
        ms -= n * FORMAT_MILLIS[i];
      }
    }
    return sb.toString();
  }

  /** Whole hours, as Loki's retention_period wants them ({@code 720h}). */
  public static String hours(Duration d) {
    return d.toHours() + "h";
  }
}
