package dev.vigil.time;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Periodically measures the clock against upstream NTP servers and the cluster's other nodes (peer
 * mesh), reads the local chrony when configured, and exports everything as Prometheus metrics (see
 * docs/time.md for the list).
 *
 * <p>Kiss-o'-Death is obeyed: after DENY or RSTR a server is never asked again by this probe; after
 * RATE it is skipped for 2, 4, ... up to {@value #MAX_BACKOFF_ROUNDS} rounds.
 */
public final class TimeProbe implements Closeable {
  private static final Logger LOG = Logger.getLogger(TimeProbe.class.getName());
  static final int MAX_BACKOFF_ROUNDS = 16;

  /** Whether a server is an upstream reference or another node of the cluster. */
  public enum Role {
    UPSTREAM,
    PEER;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A server and the role it plays. */
  public record Target(NtpServer server, Role role) {}

  /** Everything one round measured. */
  public record Round(
      long epochMillis,
      Map<Target, NtpMeasurement> measurements,
      Optional<ChronyTracking> chronyTracking,
      List<ChronySource> chronySources,
      Optional<String> chronyError) {}

  private final List<Target> targets;
  private final SntpClient client;
  private final Chronyc chronyc;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;
  private final Map<Target, Backoff> backoff = new HashMap<>();
  private volatile Round lastRound;

  private final Gauge offset;
  private final Gauge delay;
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

  private static final class Backoff {
    boolean demobilised;
    int skipRemaining;
    int nextSkip = 2;
  }

  private TimeProbe(Builder b) {
    List<Target> t = new ArrayList<>();
    b.upstream.forEach(s -> t.add(new Target(s, Role.UPSTREAM)));
    b.peers.forEach(s -> t.add(new Target(s, Role.PEER)));
    this.targets = List.copyOf(t);
    this.client = b.client;
    this.chronyc = b.chronyc;
    this.interval = b.interval;
    PrometheusRegistry r = b.registry;
    offset =
        gauge(
            r,
            "vigil_time_offset_seconds",
            "How far the server's clock is ahead of this node's clock (SNTP, minimum-delay sample)"
                + "; only for trusted replies",
            "server",
            "role");
    delay =
        gauge(
            r, "vigil_time_delay_seconds", "Round-trip delay of the kept sample", "server", "role");
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
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread th = new Thread(runnable, "vigil-time-probe");
              th.setDaemon(true);
              return th;
            });
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(8, targets.size())),
            runnable -> {
              Thread th = new Thread(runnable, "vigil-time-probe-worker-" + n.incrementAndGet());
              th.setDaemon(true);
              return th;
            });
  }

  private static Gauge gauge(PrometheusRegistry r, String name, String help, String... labels) {
    Gauge.Builder g = Gauge.builder().name(name).help(help);
    if (labels.length > 0) {
      g.labelNames(labels);
    }
    return g.register(r);
  }

  public static Builder builder() {
    return new Builder();
  }

  private void start(boolean schedule) {
    if (schedule) {
      scheduler.scheduleWithFixedDelay(
          this::safeRun, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void safeRun() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "time probe round failed: " + e.getMessage(), e);
    }
  }

  /** Runs one measurement round now, updates the metrics and returns what it measured. */
  public synchronized Round runOnce() {
    Map<Target, Future<NtpMeasurement>> futures = new LinkedHashMap<>();
    for (Target t : targets) {
      Backoff bo = backoff.computeIfAbsent(t, k -> new Backoff());
      if (bo.demobilised) {
        continue;
      }
      if (bo.skipRemaining > 0) {
        bo.skipRemaining--;
        continue;
      }
      futures.put(t, workers.submit(() -> client.measure(t.server())));
    }
    Map<Target, NtpMeasurement> results = new LinkedHashMap<>();
    for (Map.Entry<Target, Future<NtpMeasurement>> e : futures.entrySet()) {
      try {
        results.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        results.put(
            e.getKey(),
            new NtpMeasurement(
                e.getKey().server(),
                NtpStatus.ERROR,
                Optional.empty(),
                0,
                0,
                String.valueOf(ex.getCause())));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long now = System.currentTimeMillis();
    for (Map.Entry<Target, NtpMeasurement> e : results.entrySet()) {
      record(e.getKey(), e.getValue(), now);
    }
    for (Role role : Role.values()) {
      long count =
          targets.stream().filter(t -> t.role() == role).filter(t -> trustedNow(t)).count();
      trustedSources.labelValues(role.label()).set(count);
    }
    Optional<ChronyTracking> tracking = Optional.empty();
    List<ChronySource> sources = List.of();
    Optional<String> chronyError = Optional.empty();
    if (chronyc != null) {
      try {
        tracking = Optional.of(chronyc.tracking());
        sources = chronyc.sources();
        recordChrony(tracking.get(), sources);
        chronyUp.set(1);
      } catch (Chronyc.ChronycException ex) {
        chronyError = Optional.of(ex.getMessage());
        chronyUp.set(0);
      }
    }
    rounds.inc();
    Round round = new Round(now, Map.copyOf(results), tracking, sources, chronyError);
    lastRound = round;
    return round;
  }

  private final Map<Target, Boolean> trustedState = new HashMap<>();

  private boolean trustedNow(Target t) {
    return trustedState.getOrDefault(t, false);
  }

  private void record(Target t, NtpMeasurement m, long now) {
    String s = t.server().toString();
    String role = t.role().label();
    lastMeasurement.labelValues(s, role).set(now / 1000.0);
    reachable.labelValues(s, role).set(m.reachable() ? 1 : 0);
    trusted.labelValues(s, role).set(m.status().trusted() ? 1 : 0);
    trustedState.put(t, m.status().trusted());
    for (NtpStatus st : NtpStatus.values()) {
      status
          .labelValues(s, role, st.name().toLowerCase(java.util.Locale.ROOT))
          .set(st == m.status() ? 1 : 0);
    }
    Optional<NtpSample> trustedSample = m.trustedSample();
    if (trustedSample.isPresent()) {
      offset.labelValues(s, role).set(trustedSample.get().offsetSeconds());
      delay.labelValues(s, role).set(trustedSample.get().delaySeconds());
    } else {
      // A stale offset would keep alerts quiet or firing on data that is no longer true.
      offset.remove(s, role);
      delay.remove(s, role);
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
    Backoff bo = backoff.computeIfAbsent(t, k -> new Backoff());
    if (m.status().stopAsking()) {
      bo.demobilised = true;
      LOG.warning("NTP server " + s + " sent " + m.detail() + "; it will not be asked again");
    } else if (m.status() == NtpStatus.KOD_RATE) {
      bo.skipRemaining = bo.nextSkip;
      bo.nextSkip = Math.min(MAX_BACKOFF_ROUNDS, bo.nextSkip * 2);
    } else if (m.status().answered()) {
      bo.nextSkip = 2;
    }
  }

  private final Set<String> chronySourceLabels = new java.util.HashSet<>();

  private void recordChrony(ChronyTracking t, List<ChronySource> sources) {
    chronyStratum.set(t.stratum());
    chronySystemTime.set(t.systemTimeSeconds());
    chronyLastOffset.set(t.lastOffsetSeconds());
    chronyRmsOffset.set(t.rmsOffsetSeconds());
    chronyRootDelay.set(t.rootDelaySeconds());
    chronyRootDispersion.set(t.rootDispersionSeconds());
    chronyLeap.set(t.leap().bits());
    chronySynchronised.set(t.synchronised() ? 1 : 0);
    Set<String> seen = new java.util.HashSet<>();
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

  /** The last completed round, if any. */
  public Optional<Round> lastRound() {
    return Optional.ofNullable(lastRound);
  }

  /**
   * What this node's {@link NtpResponder} should advertise: chrony's stratum + 1 when chrony is
   * synchronised, else the best trusted upstream's stratum + 1, else unsynchronised.
   */
  public SyncState responderState() {
    Round r = lastRound;
    if (r == null) {
      return SyncState.unsynchronised();
    }
    if (r.chronyTracking().isPresent() && r.chronyTracking().get().synchronised()) {
      ChronyTracking t = r.chronyTracking().get();
      int refId;
      try {
        refId = (int) Long.parseLong(t.referenceId(), 16);
      } catch (NumberFormatException e) {
        refId = 0;
      }
      return new SyncState(
          Math.min(16, t.stratum() + 1),
          t.leap(),
          refId,
          t.rootDelaySeconds(),
          t.rootDispersionSeconds(),
          (long) (t.referenceTimeEpochSeconds() * 1e9));
    }
    Optional<NtpSample> best =
        r.measurements().entrySet().stream()
            .filter(e -> e.getKey().role() == Role.UPSTREAM)
            .map(e -> e.getValue().trustedSample())
            .flatMap(Optional::stream)
            .min((a, b) -> Double.compare(a.delaySeconds(), b.delaySeconds()));
    if (best.isPresent()) {
      NtpSample s = best.get();
      return new SyncState(
          Math.min(16, s.stratum() + 1),
          s.leap(),
          NtpPacket.asciiId("SNTP"),
          s.rootDelaySeconds() + s.delaySeconds(),
          s.rootDispersionSeconds(),
          s.localReceiveEpochNanos());
    }
    return SyncState.unsynchronised();
  }

  /** Statuses after which the probe stops asking a server. */
  public static Set<NtpStatus> demobilisingStatuses() {
    return EnumSet.of(NtpStatus.KOD_DENY, NtpStatus.KOD_RSTR);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TimeProbe[targets="
        + targets
        + ", interval="
        + interval
        + ", "
        + client
        + ", chronyc="
        + chronyc
        + "]";
  }

  public static final class Builder {
    private PrometheusRegistry registry;
    private final List<NtpServer> upstream = new ArrayList<>();
    private final List<NtpServer> peers = new ArrayList<>();
    private Duration interval = Duration.ofSeconds(60);
    private SntpClient client = SntpClient.builder().spacing(Duration.ofSeconds(2)).build();
    private Chronyc chronyc;

    private Builder() {}

    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder upstream(List<NtpServer> servers) {
      upstream.addAll(servers);
      return this;
    }

    public Builder peers(List<NtpServer> servers) {
      peers.addAll(servers);
      return this;
    }

    public Builder interval(Duration interval) {
      if (interval == null || interval.toMillis() < 1000) {
        throw new IllegalArgumentException("interval must be at least 1s");
      }
      this.interval = interval;
      return this;
    }

    public Builder client(SntpClient client) {
      if (client == null) {
        throw new IllegalArgumentException("client is required");
      }
      this.client = client;
      return this;
    }

    /** Read the local chrony each round; null (the default) disables it. */
    public Builder chronyc(Chronyc chronyc) {
      this.chronyc = chronyc;
      return this;
    }

    private TimeProbe validated() {
      if (registry == null) {
        throw new IllegalStateException("registry is required");
      }
      if (upstream.isEmpty() && peers.isEmpty() && chronyc == null) {
        throw new IllegalStateException("nothing to probe: no upstream, no peers, no chronyc");
      }
      return new TimeProbe(this);
    }

    /** Builds the probe and starts its periodic rounds (the first one immediately). */
    public TimeProbe buildAndStart() {
      TimeProbe p = validated();
      p.start(true);
      return p;
    }

    /** Builds the probe without scheduling; call {@link TimeProbe#runOnce()} yourself. */
    public TimeProbe build() {
      return validated();
    }
  }
}
