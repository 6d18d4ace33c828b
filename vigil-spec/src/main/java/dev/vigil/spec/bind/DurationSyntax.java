package dev.vigil.spec.bind;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Prometheus writes them: units {@code y w d h m s ms}, largest first, each at most
 * once ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 7d}, {@code 2w}, {@code 250ms}). A year is
 * 365 days, as in Prometheus. A bare number is rejected: a unit is always required, so {@code 30}
 * cannot silently mean seconds in one tool and nanoseconds in another.
 */
public final class DurationSyntax {
  /** The accepted syntax, also published in the JSON Schema. */
  public static final String SCHEMA_PATTERN =
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$";

  /** What the error messages say was expected. */
  public static final String EXPECTED = "a duration such as 30s, 5m, 1h";

  private static final Pattern SYNTAX = Pattern.compile(SCHEMA_PATTERN);
  private static final long[] MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1
  };

  private DurationSyntax() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException saying what was expected and what was given
   */
  public static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      String hint = text.matches("[0-9]+(\\.[0-9]+)?") ? " (a unit is required)" : "";
      throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'" + hint);
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
      throw new IllegalArgumentException("duration '" + text + "' is too large");
    }
    return Duration.ofMillis(total);
  }
}
