package dev.vigil.time;

import dev.vigil.base.NamedThreads;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Periodically measures the clock against upstream NTP servers and the cluster's other nodes (peer
 * mesh) and reads the local chrony when configured; {@link TimeMetrics} exports the results (see
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

  private final TimeMetrics metrics;

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
    this.metrics = new TimeMetrics(b.registry);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("vigil-time-probe"));
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(8, targets.size())),
            NamedThreads.daemon("vigil-time-probe-worker"));
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
      metrics.trustedSources(role, count);
    }
    Optional<ChronyTracking> tracking = Optional.empty();
    List<ChronySource> sources = List.of();
    Optional<String> chronyError = Optional.empty();
    if (chronyc != null) {
      try {
        tracking = Optional.of(chronyc.tracking());
        sources = chronyc.sources();
        metrics.chronyRead(tracking.get(), sources);
      } catch (Chronyc.ChronycException ex) {
        chronyError = Optional.of(ex.getMessage());
        metrics.chronyFailed();
      }
    }
    metrics.roundDone();
    Round round = new Round(now, Map.copyOf(results), tracking, sources, chronyError);
    lastRound = round;
    return round;
  }

  private final Map<Target, Boolean> trustedState = new HashMap<>();

  private boolean trustedNow(Target t) {
    return trustedState.getOrDefault(t, false);
  }

  private void record(Target t, NtpMeasurement m, long now) {
    metrics.measured(t, m, now);
    trustedState.put(t, m.status().trusted());
    String s = t.server().toString();
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
    metrics.unregister();
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
