package dev.vigil.power;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one sample from a registry. */
final class Metrics {
  private Metrics() {}

  static double value(PrometheusRegistry r, String name, String... labels) {
    Labels want = Labels.of(labels);
    for (MetricSnapshot s : r.scrape()) {
      if (!s.getMetadata().getName().equals(name)) {
        continue;
      }
      if (s instanceof CounterSnapshot c) {
        for (var d : c.getDataPoints()) {
          if (d.getLabels().equals(want)) {
            return d.getValue();
          }
        }
      } else if (s instanceof GaugeSnapshot g) {
        for (var d : g.getDataPoints()) {
          if (d.getLabels().equals(want)) {
            return d.getValue();
          }
        }
      }
    }
    return 0;
  }

  /** One histogram's data point, or null when it has none with these labels. */
  static HistogramSnapshot.HistogramDataPointSnapshot histogram(
      PrometheusRegistry r, String name, String... labels) {
    Labels want = Labels.of(labels);
    for (MetricSnapshot s : r.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof HistogramSnapshot h) {
        for (var d : h.getDataPoints()) {
          if (d.getLabels().equals(want)) {
            return d;
          }
        }
      }
    }
    return null;
  }
}
