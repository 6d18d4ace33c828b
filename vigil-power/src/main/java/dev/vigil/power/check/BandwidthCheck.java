package dev.vigil.power.check;

import dev.vigil.power.MonotonicClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Active while receive+transmit traffic on the watched interfaces exceeds the threshold in bytes
 * per second, measured between two runs on the monotonic clock. The first run has nothing to
 * compare with and reports active: better a late sleep than a stream cut off.
 */
public final class BandwidthCheck implements ActivityCheck {
  private final String name;
  private final double bytesPerSecond;
  private final Set<String> interfaces;
  private final Path procNetDev;
  private final MonotonicClock clock;
  private long lastBytes = -1;
  private long lastNanos;

  public BandwidthCheck(
      String name,
      double bytesPerSecond,
      List<String> interfaces,
      Path procNetDev,
      MonotonicClock clock) {
    if (!(bytesPerSecond > 0)) {
      throw new IllegalArgumentException("bandwidth threshold must be above 0");
    }
    this.name = name;
    this.bytesPerSecond = bytesPerSecond;
    this.interfaces = Set.copyOf(interfaces);
    this.procNetDev = procNetDev;
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized ActivityVerdict check() throws Exception {
    long total = 0;
    List<String> lines = Files.readAllLines(procNetDev);
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String iface = line.substring(0, colon).trim();
      if (interfaces.isEmpty() ? iface.equals("lo") : !interfaces.contains(iface)) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      total += Long.parseLong(f[0]) + Long.parseLong(f[8]);
    }
    long now = clock.nanoTime();
    long prevBytes = lastBytes;
    long prevNanos = lastNanos;
    lastBytes = total;
    lastNanos = now;
    if (prevBytes < 0 || now <= prevNanos) {
      return ActivityVerdict.active("first sample, no rate yet");
    }
    double rate = Math.max(0, total - prevBytes) / ((now - prevNanos) / 1e9);
    String d =
        String.format(java.util.Locale.ROOT, "%.0f B/s (threshold %.0f)", rate, bytesPerSecond);
    return rate > bytesPerSecond ? ActivityVerdict.active(d) : ActivityVerdict.idle(d);
  }
}
