package dev.vigil.power;

import dev.vigil.power.check.KubernetesPodsCheck;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Cordons a node and evicts its pods through the eviction API, so PodDisruptionBudgets are
 * honoured: an eviction the API refuses (429) is retried until the deadline, never forced.
 * DaemonSet and mirror pods stay, as with {@code kubectl drain --ignore-daemonsets}.
 */
public final class Drainer {
  private static final Logger LOG = Logger.getLogger(Drainer.class.getName());
  private final KubernetesClient client;
  private final MonotonicClock clock;
  private final Duration retryEvery;

  public Drainer(KubernetesClient client, MonotonicClock clock, Duration retryEvery) {
    this.client = client;
    this.clock = clock;
    this.retryEvery = retryEvery;
  }

  /** Outcome of a drain: whether every pod left, and which were still blocked. */
  public record Result(boolean drained, int evicted, List<String> blocked) {}

  public void cordon(String node) {
    setUnschedulable(node, true);
  }

  public void uncordon(String node) {
    setUnschedulable(node, false);
  }

  private void setUnschedulable(String node, boolean value) {
    client
        .nodes()
        .withName(node)
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"unschedulable\":" + value + "}}");
  }

  public Result drain(String node, Duration timeout) throws InterruptedException {
    long deadline = clock.nanoTime() + timeout.toNanos();
    int evicted = 0;
    List<String> blocked = new ArrayList<>();
    while (true) {
      List<Pod> pods = evictable(node);
      if (pods.isEmpty()) {
        return new Result(true, evicted, List.of());
      }
      blocked.clear();
      for (Pod p : pods) {
        String id = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
        if (p.getMetadata().getDeletionTimestamp() != null) {
          blocked.add(id + " (terminating)");
          continue;
        }
        try {
          boolean ok =
              client
                  .pods()
                  .inNamespace(p.getMetadata().getNamespace())
                  .withName(p.getMetadata().getName())
                  .evict();
          if (ok) {
            evicted++;
            LOG.info("evicted " + id + " from " + node);
          } else {
            blocked.add(id + " (disruption budget)");
          }
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            continue;
          }
          blocked.add(id + " (" + e.getCode() + ")");
        }
      }
      if (clock.nanoTime() >= deadline) {
        return new Result(false, evicted, List.copyOf(blocked));
      }
      Thread.sleep(retryEvery.toMillis());
    }
  }

  List<Pod> evictable(String node) {
    return client
        .pods()
        .inAnyNamespace()
        .withField("spec.nodeName", node)
        .list()
        .getItems()
        .stream()
        .filter(p -> !KubernetesPodsCheck.isDaemonSetOrMirror(p))
        .filter(
            p ->
                p.getStatus() == null
                    || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
        .toList();
  }
}
