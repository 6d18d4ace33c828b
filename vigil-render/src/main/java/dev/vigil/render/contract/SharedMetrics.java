package dev.vigil.render.contract;

import java.util.List;

/**
 * Metric families several images expose through the same library (the Go and process collectors of
 * client_golang), kept once and named by each contract's {@code sharedMetrics}.
 */
public record SharedMetrics(
    String name,
    List<ImageContract.Source> sources,
    List<ImageContract.Metric> metrics,
    List<String> notes) {
  public SharedMetrics {
    ImageContract.require(name, "name");
    sources = ImageContract.list(sources);
    metrics = ImageContract.list(metrics);
    notes = ImageContract.list(notes);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("sources: name the files read");
    }
  }
}
