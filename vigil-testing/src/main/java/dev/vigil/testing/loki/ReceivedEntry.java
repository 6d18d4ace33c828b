package dev.vigil.testing.loki;

import java.time.Instant;
import java.util.Map;

/**
 * One entry as Loki would store it, with the tenant it was pushed for and when the receiver got it
 * ({@link System#nanoTime()}, for latency measurements).
 */
public record ReceivedEntry(
    String tenant,
    Map<String, String> labels,
    Instant timestamp,
    String line,
    Map<String, String> structuredMetadata,
    long arrivalNanos) {
  public ReceivedEntry {
    labels = Map.copyOf(labels);
    structuredMetadata = Map.copyOf(structuredMetadata);
  }
}
