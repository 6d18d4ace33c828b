package dev.vigil.testing.loki;

import java.time.Instant;
import java.util.Map;

/** One entry as Loki would store it, with the tenant it was pushed for. */
public record ReceivedEntry(
    String tenant,
    Map<String, String> labels,
    Instant timestamp,
    String line,
    Map<String, String> structuredMetadata) {
  public ReceivedEntry {
    labels = Map.copyOf(labels);
    structuredMetadata = Map.copyOf(structuredMetadata);
  }
}
