package dev.vigil.spec.types;

import dev.vigil.base.DurationText;
import java.time.Duration;

/**
 * Formats durations the way Prometheus, Loki and Alertmanager read them; the one implementation is
 * {@link DurationText}, which new code should use directly.
 */
public final class Durations {
  private Durations() {}

  /** {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 15d}; largest units first, no zero parts. */
  public static String format(Duration d) {
    return DurationText.format(d);
  }

  /** Whole hours, as Loki's retention_period wants them ("720h"). */
  public static String hours(Duration d) {
    return DurationText.hours(d);
  }
}
