package dev.vigil.http;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most one log line per period; the lines it held back are counted into the next. A flood of
 * hostile connections must not become a flood of log lines.
 */
final class RateLimitedLog {
  private final Logger log;
  private final long periodNanos;
  private long lastAt;
  private boolean logged;
  private long suppressed;

  RateLimitedLog(Logger log, java.time.Duration period) {
    this.log = log;
    this.periodNanos = period.toNanos();
  }

  synchronized void warn(String message) {
    long now = System.nanoTime();
    if (logged && now - lastAt < periodNanos) {
      suppressed++;
      return;
    }
    String line =
        suppressed == 0
            ? message
            : message + " (and " + suppressed + " more like it since the last report)";
    logged = true;
    lastAt = now;
    suppressed = 0;
    log.log(Level.WARNING, line);
  }
}
