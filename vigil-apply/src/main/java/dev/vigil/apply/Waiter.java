package dev.vigil.apply;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until every workload of a deploy is rolled out, every claim bound and every Job done, or
 * the timeout ends; polls the API server and tells {@link Progress} each time. Time comes from a
 * clock and waiting from a sleeper, so tests run the loop without waiting.
 */
public final class Waiter {
  /** Waits between polls. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(Math.max(1, d.toMillis()));
  }

  /**
   * @param components the final state of each component, in apply order
   * @param timedOut the timeout ended with something not ready
   * @param error an access error that stopped the wait, or null
   */
  public record Result(
      List<ComponentState> components, boolean timedOut, Duration elapsed, KubeException error) {
    public boolean allReady() {
      return error == null && components.stream().allMatch(ComponentState::ready);
    }
  }

  private Waiter() {}

  public static Result await(
      List<Watch> watches,
      KubeApi kube,
      Duration timeout,
      Duration poll,
      Clock clock,
      Sleeper sleeper,
      Progress progress) {
    Instant start = clock.instant();
    Map<Watch, Readiness.State> states = new LinkedHashMap<>();
    Map<String, Duration> readyAt = new LinkedHashMap<>();
    for (Watch w : watches) {
      states.put(w, Readiness.State.waiting(0, 0, "not checked yet"));
    }
    while (true) {
      Duration elapsed = Duration.between(start, clock.instant());
      try {
        for (Watch w : watches) {
          Readiness.State s = states.get(w);
          if (s.ready() || s.failed()) {
            continue;
          }
          states.put(w, check(w, kube));
        }
      } catch (KubeException e) {
        if (e.reason() != KubeException.Reason.UNREACHABLE) {
          List<ComponentState> now = aggregate(watches, states, readyAt, elapsed);
          progress.finish(now, elapsed);
          return new Result(now, false, elapsed, e);
        }
        for (Watch w : watches) {
          Readiness.State s = states.get(w);
          if (!s.ready() && !s.failed()) {
            states.put(
                w,
                Readiness.State.waiting(
                    s.done(), s.total(), "API server not answering: " + e.getMessage()));
          }
        }
      }
      List<ComponentState> now = aggregate(watches, states, readyAt, elapsed);
      boolean settled = now.stream().allMatch(c -> c.ready() || c.failed());
      if (settled) {
        progress.finish(now, elapsed);
        return new Result(now, false, elapsed, null);
      }
      if (elapsed.compareTo(timeout) >= 0) {
        progress.finish(now, elapsed);
        return new Result(now, true, elapsed, null);
      }
      progress.update(now, elapsed);
      Duration left = timeout.minus(elapsed);
      try {
        sleeper.sleep(left.compareTo(poll) < 0 ? left : poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        progress.finish(now, elapsed);
        return new Result(now, true, elapsed, null);
      }
    }
  }

  static Readiness.State check(Watch w, KubeApi kube) throws KubeException {
    Optional<GenericKubernetesResource> live = kube.get(w.ref());
    if (live.isEmpty()) {
      return Readiness.State.waiting(0, 0, w.ref() + " does not exist (yet)");
    }
    Readiness.State s = Readiness.judge(live.get());
    if (s.ready() || w.pods().isEmpty() || w.ref().namespace() == null) {
      return s;
    }
    for (GenericKubernetesResource pod : kube.list(Kinds.POD, w.ref().namespace(), w.pods())) {
      PodTrouble.Trouble t = PodTrouble.of(pod);
      if (t != null) {
        return new Readiness.State(false, false, s.done(), s.total(), s.message() + "; " + t);
      }
    }
    return s;
  }

  static List<ComponentState> aggregate(
      List<Watch> watches,
      Map<Watch, Readiness.State> states,
      Map<String, Duration> readyAt,
      Duration elapsed) {
    Map<String, List<Watch>> byComponent = new LinkedHashMap<>();
    watches.forEach(w -> byComponent.computeIfAbsent(w.component(), c -> new ArrayList<>()).add(w));
    List<ComponentState> out = new ArrayList<>();
    for (Map.Entry<String, List<Watch>> e : byComponent.entrySet()) {
      boolean ready = true;
      boolean failed = false;
      int done = 0;
      int total = 0;
      String detail = "";
      for (Watch w : e.getValue()) {
        Readiness.State s = states.get(w);
        if (w.workload()) {
          done += s.done();
          total += s.total();
        }
        ready &= s.ready();
        failed |= s.failed();
        if (!s.ready() && detail.isEmpty()) {
          detail = w.ref().kind() + " " + w.ref().name() + ": " + s.message();
        } else if (s.ready() && !s.message().isEmpty() && detail.isEmpty()) {
          detail = w.ref().kind() + " " + w.ref().name() + ": " + s.message();
        }
      }
      if (ready) {
        readyAt.putIfAbsent(e.getKey(), elapsed);
      }
      out.add(
          new ComponentState(
              e.getKey(),
              ready,
              failed,
              done,
              total,
              ready ? detail : detail,
              ready ? readyAt.get(e.getKey()) : null));
    }
    return out;
  }
}
