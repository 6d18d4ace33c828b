package dev.vigil.time;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The time probe's metrics (docs/time.md lists them), registered here; {@link TimeProbe} only
 * reports what it measured.
 */
final class TimeMetrics {
  /**
   * Upper bounds of the round-trip buckets in seconds: from a peer on the same switch (a tenth of a
   * millisecond) to a far public server (a few hundred), up to the longest reply timeout.
   */
  static final double[] ROUND_TRIP_BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
  };

  private final PrometheusRegistry registry;
  private final List<Collector> all;

  private final Gauge offset;
  private final Histogram delay;
  private final Gauge stratum;
  private final Gauge reachable;
  private final Gauge trusted;
  private final Gauge leap;
  private final Gauge status;
  private final Gauge lastMeasurement;
  private final Gauge trustedSources;
  private final Counter rounds;
  private final Gauge chronyUp;
  private final Gauge chronyStratum;
  private final Gauge chronySystemTime;
  private final Gauge chronyLastOffset;
  private final Gauge chronyRmsOffset;
  private final Gauge chronyRootDelay;
  private final Gauge chronyRootDispersion;
  private final Gauge chronyLeap;
  private final Gauge chronySynchronised;
  private final Gauge chronySourceReach;
  private final Gauge chronySourceStratum;
  private final Gauge chronySourceSelected;
  private final Gauge chronySourcesReachable;
  private final Set<String> chronySourceLabels = new HashSet<>();

  TimeMetrics(PrometheusRegistry r) {
    this.registry = r;
    offset =
        gauge(
            r,
            "vigil_time_offset_seconds",
            "How far the server's clock is ahead of this node's clock (SNTP, minimum-delay sample)"
                + "; only for trusted replies",
            "server",
            "role");
    delay =
        Histogram.builder()
            .name("vigil_time_delay_seconds")
            .help("Round-trip delay of each round's kept sample; only for trusted replies")
            .labelNames("server", "role")
            .classicOnly()
            .classicUpperBounds(ROUND_TRIP_BUCKETS)
            .register(r);
    stratum =
        gauge(
            r,
            "vigil_time_stratum",
            "Stratum the server advertised (16 = unsynchronised)",
            "server",
            "role");
    reachable =
        gauge(
            r,
            "vigil_time_reachable",
            "1 if the server answered in the last round",
            "server",
            "role");
    trusted =
        gauge(
            r,
            "vigil_time_trusted",
            "1 if the server's last answer was valid and synchronised (its offset is usable)",
            "server",
            "role");
    leap =
        gauge(
            r,
            "vigil_time_leap_status",
            "Leap indicator of the server's reply: 0 none, 1 insert, 2 delete, 3 unsynchronised",
            "server",
            "role");
    status =
        gauge(
            r,
            "vigil_time_status",
            "1 for the outcome of the last measurement (ok, unsynchronised, kod_deny, kod_rstr,"
                + " kod_rate, kod_other, invalid, timeout, unresolved, error)",
            "server",
            "role",
            "status");
    lastMeasurement =
        gauge(
            r,
            "vigil_time_last_measurement_timestamp_seconds",
            "Unix time of the last measurement attempt",
            "server",
            "role");
    trustedSources =
        gauge(
            r,
            "vigil_time_trusted_sources",
            "Number of servers of a role whose last answer was trusted",
            "role");
    rounds =
        Counter.builder()
            .name("vigil_time_probe_rounds_total")
            .help("Measurement rounds run")
            .register(r);
    chronyUp = gauge(r, "vigil_time_chrony_up", "1 if chronyc answered the last round");
    chronyStratum = gauge(r, "vigil_time_chrony_stratum", "Stratum of the local chrony");
    chronySystemTime =
        gauge(
            r,
            "vigil_time_chrony_system_time_seconds",
            "chrony's current correction: positive means the system clock is behind NTP time");
    chronyLastOffset =
        gauge(
            r,
            "vigil_time_chrony_last_offset_seconds",
            "Offset measured at chrony's last clock update");
    chronyRmsOffset =
        gauge(r, "vigil_time_chrony_rms_offset_seconds", "chrony's long-term average offset");
    chronyRootDelay =
        gauge(
            r,
            "vigil_time_chrony_root_delay_seconds",
            "Total network delay to the stratum-1 source");
    chronyRootDispersion =
        gauge(
            r,
            "vigil_time_chrony_root_dispersion_seconds",
            "Total dispersion accumulated to the stratum-1 source");
    chronyLeap =
        gauge(
            r,
            "vigil_time_chrony_leap_status",
            "chrony's leap status: 0 normal, 1 insert, 2 delete, 3 not synchronised");
    chronySynchronised =
        gauge(r, "vigil_time_chrony_synchronised", "1 if chrony is synchronised to a source");
    chronySourceReach =
        gauge(
            r,
            "vigil_time_chrony_source_reachability_ratio",
            "Fraction of the last 8 polls of a chrony source that were answered",
            "source");
    chronySourceStratum =
        gauge(r, "vigil_time_chrony_source_stratum", "Stratum of a chrony source", "source");
    chronySourceSelected =
        gauge(
            r,
            "vigil_time_chrony_source_selected",
            "1 for the source chrony currently synchronises to",
            "source");
    chronySourcesReachable =
        gauge(
            r,
            "vigil_time_chrony_sources_reachable",
            "Number of chrony sources that answered at least one of the last 8 polls");
    all =
        List.of(
            offset,
            delay,
            stratum,
            reachable,
            trusted,
            leap,
            status,
            lastMeasurement,
            trustedSources,
            rounds,
            chronyUp,
            chronyStratum,
            chronySystemTime,
            chronyLastOffset,
            chronyRmsOffset,
            chronyRootDelay,
            chronyRootDispersion,
            chronyLeap,
            chronySynchronised,
            chronySourceReach,
            chronySourceStratum,
            chronySourceSelected,
            chronySourcesReachable);
  }

  private static Gauge gauge(PrometheusRegistry r, String name, String help, String... labels) {
    Gauge.Builder g = Gauge.builder().name(name).help(help);
    if (labels.length > 0) {
      g.labelNames(labels);
    }
    return g.register(r);
  }

  /** One server's measurement of this round, taken at {@code epochMillis}. */
  void measured(TimeProbe.Target t, NtpMeasurement m, long epochMillis) {
    String s = t.server().toString();
    String role = t.role().label();
    lastMeasurement.labelValues(s, role).set(epochMillis / 1000.0);
    reachable.labelValues(s, role).set(m.reachable() ? 1 : 0);
    trusted.labelValues(s, role).set(m.status().trusted() ? 1 : 0);
    for (NtpStatus st : NtpStatus.values()) {
      status.labelValues(s, role, st.name().toLowerCase(Locale.ROOT)).set(st == m.status() ? 1 : 0);
    }
    Optional<NtpSample> trustedSample = m.trustedSample();
    if (trustedSample.isPresent()) {
      offset.labelValues(s, role).set(trustedSample.get().offsetSeconds());
      // The client accepts a delay a few microseconds below zero as timer noise.
      delay.labelValues(s, role).observe(Math.max(0, trustedSample.get().delaySeconds()));
    } else {
      // A stale offset would keep alerts quiet or firing on data that is no longer true.
      offset.remove(s, role);
    }
    if (m.sample().isPresent()) {
      NtpSample sample = m.sample().get();
      int advertised =
          m.status() == NtpStatus.UNSYNCHRONISED
              ? Math.max(16, sample.stratum())
              : sample.stratum();
      stratum.labelValues(s, role).set(advertised);
      leap.labelValues(s, role).set(sample.leap().bits());
    } else {
      stratum.remove(s, role);
      leap.remove(s, role);
    }
  }

  void trustedSources(TimeProbe.Role role, long count) {
    trustedSources.labelValues(role.label()).set(count);
  }

  void chronyRead(ChronyTracking t, List<ChronySource> sources) {
    chronyUp.set(1);
    chronyStratum.set(t.stratum());
    chronySystemTime.set(t.systemTimeSeconds());
    chronyLastOffset.set(t.lastOffsetSeconds());
    chronyRmsOffset.set(t.rmsOffsetSeconds());
    chronyRootDelay.set(t.rootDelaySeconds());
    chronyRootDispersion.set(t.rootDispersionSeconds());
    chronyLeap.set(t.leap().bits());
    chronySynchronised.set(t.synchronised() ? 1 : 0);
    Set<String> seen = new HashSet<>();
    int reachableCount = 0;
    for (ChronySource src : sources) {
      seen.add(src.address());
      chronySourceReach.labelValues(src.address()).set(src.reachabilityRatio());
      chronySourceStratum.labelValues(src.address()).set(src.stratum());
      chronySourceSelected
          .labelValues(src.address())
          .set(src.state() == ChronySource.State.SELECTED ? 1 : 0);
      if (src.reachable()) {
        reachableCount++;
      }
    }
    for (String gone : chronySourceLabels) {
      if (!seen.contains(gone)) {
        chronySourceReach.remove(gone);
        chronySourceStratum.remove(gone);
        chronySourceSelected.remove(gone);
      }
    }
    chronySourceLabels.clear();
    chronySourceLabels.addAll(seen);
    chronySourcesReachable.set(reachableCount);
  }

  void chronyFailed() {
    chronyUp.set(0);
  }

  void roundDone() {
    rounds.inc();
  }

  /** Lets a later probe on the same registry register the same names again. */
  void unregister() {
    all.forEach(registry::unregister);
  }
}
