package dev.vigil.spec.types;

import java.time.Duration;

/** Formats durations the way Prometheus, Loki and Alertmanager read them. */
public final class Durations {
  private Durations() {}

  /** {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 15d}; largest units first, no zero parts. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] sizes = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] units = {"w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      long n = ms / sizes[i];
      if (n > 0) {
        sb.append(n).append(units[i]);
        ms -= n * sizes[i];
      }
    }
    return sb.toString();
  }

  /** Whole hours, as Loki's retention_period wants them ("720h"). */
  public static String hours(Duration d) {
    return d.toHours() + "h";
  }
}
