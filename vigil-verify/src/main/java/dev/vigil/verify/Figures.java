package dev.vigil.verify;

import java.time.Duration;
import java.util.Locale;

/** Formats measured figures the same way in every report. */
final class Figures {
  private Figures() {}

  /** Signed seconds, in ms below one second: "+0.412 ms", "-2.500 s". */
  static String seconds(double s) {
    if (Math.abs(s) < 1) {
      return String.format(Locale.ROOT, "%+.3f ms", s * 1000);
    }
    return String.format(Locale.ROOT, "%+.3f s", s);
  }

  static String unsigned(double s) {
    if (Math.abs(s) < 1) {
      return String.format(Locale.ROOT, "%.3f ms", s * 1000);
    }
    return String.format(Locale.ROOT, "%.3f s", s);
  }

  static String duration(Duration d) {
    return dev.vigil.spec.types.Durations.format(d);
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
