package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each measurement does to the exported series. */
class TimeMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final TimeMetrics metrics = new TimeMetrics(registry);
  private final TimeProbe.Target pool =
      new TimeProbe.Target(new NtpServer("192.0.2.10", 123), TimeProbe.Role.UPSTREAM);

  private static NtpMeasurement measurement(NtpStatus status, double offset, double delay) {
    NtpSample sample = new NtpSample(offset, delay, 2, LeapIndicator.NONE, "GPS", 0.001, 0.002, 0L);
    return new NtpMeasurement(
        new NtpServer("192.0.2.10", 123), status, Optional.of(sample), 4, 4, "");
  }

  private static List<Double> filledBuckets(HistogramSnapshot.HistogramDataPointSnapshot h) {
    List<Double> out = new ArrayList<>();
    for (ClassicHistogramBucket b : h.getClassicBuckets()) {
      for (long i = 0; i < b.getCount(); i++) {
        out.add(b.getUpperBound());
      }
    }
    return out;
  }

  @Test
  void everyTrustedRoundTripIsObservedInTheHistogram() {
    metrics.measured(pool, measurement(NtpStatus.OK, 0.02, 0.0123), 1_000_000);
    metrics.measured(pool, measurement(NtpStatus.OK, 0.03, 0.0003), 1_060_000);
    // Timer noise: the client accepts a delay of a few microseconds below zero.
    metrics.measured(pool, measurement(NtpStatus.OK, 0.03, -0.000004), 1_120_000);
    HistogramSnapshot.HistogramDataPointSnapshot h =
        Metrics.histogram(
            registry, "vigil_time_delay_seconds", "server", "192.0.2.10", "role", "upstream");
    assertThat(h.getCount()).isEqualTo(3);
    assertThat(h.getSum()).isCloseTo(0.0126, within(1e-9));
    assertThat(filledBuckets(h)).containsExactly(0.0001, 0.0005, 0.025);
    assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", "192.0.2.10"))
        .hasValue(0.03);
    assertThat(
            Metrics.value(
                registry, "vigil_time_last_measurement_timestamp_seconds", "role", "upstream"))
        .hasValue(1120.0);
  }

  @Test
  void anUntrustedAnswerRemovesTheOffsetAndAddsNoRoundTrip() {
    metrics.measured(pool, measurement(NtpStatus.OK, 0.02, 0.01), 1_000);
    assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", "192.0.2.10"))
        .hasValue(0.02);
    metrics.measured(pool, measurement(NtpStatus.UNSYNCHRONISED, 5, 0.01), 2_000);
    assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", "192.0.2.10"))
        .isEmpty();
    assertThat(
            Metrics.histogram(registry, "vigil_time_delay_seconds", "server", "192.0.2.10")
                .getCount())
        .isEqualTo(1);
    assertThat(Metrics.value(registry, "vigil_time_stratum", "server", "192.0.2.10")).hasValue(16);
    assertThat(Metrics.value(registry, "vigil_time_trusted", "server", "192.0.2.10")).hasValue(0);
    assertThat(
            Metrics.value(
                registry, "vigil_time_status", "server", "192.0.2.10", "status", "unsynchronised"))
        .hasValue(1);
  }

  @Test
  void chronySourcesThatDisappearLoseTheirSeries() {
    ChronyTracking t =
        new ChronyTracking(
            "C0000202",
            "192.0.2.2",
            3,
            0,
            0.001,
            0.0005,
            0.0002,
            0,
            0,
            0,
            0.01,
            0.02,
            64,
            LeapIndicator.NONE);
    ChronySource a = source("192.0.2.2", ChronySource.State.SELECTED, 0377);
    ChronySource b = source("192.0.2.3", ChronySource.State.UNREACHABLE, 0);
    metrics.chronyRead(t, List.of(a, b));
    assertThat(Metrics.value(registry, "vigil_time_chrony_up")).hasValue(1);
    assertThat(Metrics.value(registry, "vigil_time_chrony_sources_reachable")).hasValue(1);
    assertThat(Metrics.value(registry, "vigil_time_chrony_source_selected", "source", "192.0.2.2"))
        .hasValue(1);
    metrics.chronyRead(t, List.of(a));
    assertThat(Metrics.value(registry, "vigil_time_chrony_source_stratum", "source", "192.0.2.3"))
        .isEmpty();
    metrics.chronyFailed();
    assertThat(Metrics.value(registry, "vigil_time_chrony_up")).hasValue(0);
  }

  private static ChronySource source(String address, ChronySource.State state, int reach) {
    return new ChronySource(
        ChronySource.Mode.SERVER, state, address, 2, 6, reach, 10, 0.001, 0.001, 0.0001);
  }

  @Test
  void unregisteringLetsAnotherProbeRegisterTheSameNames() {
    metrics.roundDone();
    metrics.unregister();
    assertThat(registry.scrape().size()).isZero();
    TimeMetrics again = new TimeMetrics(registry);
    again.roundDone();
    assertThat(Metrics.value(registry, "vigil_time_probe_rounds_total")).hasValue(1);
  }
}
