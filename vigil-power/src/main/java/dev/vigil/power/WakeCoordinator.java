package dev.vigil.power;

import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admits wake requests: at most one wake in flight per node, and after a wake a pause that doubles
 * with every failure (up to a cap), so a burst of triggers — a client retrying SYNs, a log line
 * repeated a hundred times — becomes one wake, not a storm.
 */
public final class WakeCoordinator implements Closeable {
  private static final Logger LOG = Logger.getLogger(WakeCoordinator.class.getName());

  /** Sends the wake and waits for the node; blocking. */
  @FunctionalInterface
  public interface WakeAction {
    Outcome wake(String node, String reason) throws InterruptedException;
  }

  /** Result of one wake. */
  public record Outcome(boolean woke, Duration latency, String detail) {}

  /** What happened to a request. */
  public enum Admission {
    STARTED,
    IN_FLIGHT,
    BACKOFF
  }

  /** Observer of wake life cycle events (metrics, status). */
  public interface Listener {
    default void started(String node, String reason) {}

    default void finished(String node, String reason, Outcome outcome) {}

    default void suppressed(String node, String reason, Admission why) {}
  }

  private static final class NodeState {
    boolean inFlight;
    long notBefore = Long.MIN_VALUE;
    int failures;
  }

  private final WakeAction action;
  private final Listener listener;
  private final MonotonicClock clock;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();
  private final ExecutorService executor;

  public WakeCoordinator(
      WakeAction action,
      Listener listener,
      MonotonicClock clock,
      Duration backoff,
      Duration maxBackoff) {
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("need 0 <= backoff <= maxBackoff");
    }
    this.action = action;
    this.listener = listener;
    this.clock = clock;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
    this.executor = Executors.newCachedThreadPool(NamedThreads.daemon("vigil-power-wake"));
  }

  public Admission request(String node, String reason) {
    NodeState s = nodes.computeIfAbsent(node, n -> new NodeState());
    synchronized (s) {
      if (s.inFlight) {
        listener.suppressed(node, reason, Admission.IN_FLIGHT);
        return Admission.IN_FLIGHT;
      }
      if (s.notBefore != Long.MIN_VALUE && clock.nanoTime() - s.notBefore < 0) {
        listener.suppressed(node, reason, Admission.BACKOFF);
        return Admission.BACKOFF;
      }
      s.inFlight = true;
    }
    listener.started(node, reason);
    executor.execute(() -> run(node, reason, s));
    return Admission.STARTED;
  }

  /** Time until the node may be woken again, zero when it may be now. */
  public Duration retryAfter(String node) {
    NodeState s = nodes.get(node);
    if (s == null) {
      return Duration.ZERO;
    }
    synchronized (s) {
      long left = s.notBefore == Long.MIN_VALUE ? 0 : s.notBefore - clock.nanoTime();
      return Duration.ofNanos(Math.max(0, left));
    }
  }

  public boolean inFlight(String node) {
    NodeState s = nodes.get(node);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      return s.inFlight;
    }
  }

  private void run(String node, String reason, NodeState s) {
    Outcome outcome;
    try {
      outcome = action.wake(node, reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new Outcome(false, Duration.ZERO, "interrupted");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "wake of " + node + " failed", e);
      outcome =
          new Outcome(false, Duration.ZERO, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    synchronized (s) {
      s.failures = outcome.woke() ? 0 : s.failures + 1;
      Duration pause = backoff;
      for (int i = 1; i < s.failures && pause.compareTo(maxBackoff) < 0; i++) {
        pause = pause.multipliedBy(2);
      }
      if (pause.compareTo(maxBackoff) > 0) {
        pause = maxBackoff;
      }
      s.notBefore = clock.nanoTime() + pause.toNanos();
      s.inFlight = false;
    }
    listener.finished(node, reason, outcome);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
