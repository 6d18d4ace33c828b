package dev.vigil.time;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.OptionalDouble;

/** Reads single values out of a registry the way a scrape would see them. */
final class Metrics {
  private Metrics() {}

  static OptionalDouble value(PrometheusRegistry registry, String name, String... labelPairs) {
    for (MetricSnapshot ms : registry.scrape()) {
      String n = ms.getMetadata().getPrometheusName();
      if (!n.equals(name) && !(n + "_total").equals(name)) {
        continue;
      }
      for (DataPointSnapshot dp : ms.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          if (!labelPairs[i + 1].equals(dp.getLabels().get(labelPairs[i]))) {
            match = false;
          }
        }
        if (!match) {
          continue;
        }
        if (dp instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
          return OptionalDouble.of(g.getValue());
        }
        if (dp instanceof CounterSnapshot.CounterDataPointSnapshot c) {
          return OptionalDouble.of(c.getValue());
        }
      }
    }
    return OptionalDouble.empty();
  }

  /** A histogram's data point with these labels, or null. */
  static HistogramSnapshot.HistogramDataPointSnapshot histogram(
      PrometheusRegistry registry, String name, String... labelPairs) {
    for (MetricSnapshot ms : registry.scrape()) {
      if (!(ms instanceof HistogramSnapshot h)
          || !ms.getMetadata().getPrometheusName().equals(name)) {
        continue;
      }
      for (HistogramSnapshot.HistogramDataPointSnapshot dp : h.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labelPairs.length; i += 2) {
          if (!labelPairs[i + 1].equals(dp.getLabels().get(labelPairs[i]))) {
            match = false;
          }
        }
        if (match) {
          return dp;
        }
      }
    }
    return null;
  }
}
