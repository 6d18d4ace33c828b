package dev.vigil.http;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Counts a listener's open connections, in total and per source address. */
final class ConnectionGate {
  private final int max;
  private final int maxPerSource;
  private final Map<InetAddress, Integer> bySource = new HashMap<>();
  private int total;

  ConnectionGate(Limits limits) {
    this.max = limits.maxConnections();
    this.maxPerSource = limits.maxConnectionsPerSource();
  }

  /** Null when the connection is admitted (and counted), else why it is refused. */
  synchronized String admit(InetAddress source) {
    if (total >= max) {
      return "listener";
    }
    int n = bySource.getOrDefault(source, 0);
    if (n >= maxPerSource) {
      return "source";
    }
    bySource.put(source, n + 1);
    total++;
    return null;
  }

  synchronized void release(InetAddress source) {
    total--;
    bySource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
  }

  synchronized int open() {
    return total;
  }
}
