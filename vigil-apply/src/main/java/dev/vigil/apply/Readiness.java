package dev.vigil.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * Whether a live object is really up, judged from its status as {@code kubectl rollout status}
 * judges it: the controller has seen the latest spec (observedGeneration), every replica runs the
 * new template and is ready; a DaemonSet is ready on every node it is scheduled to; a claim is
 * Bound; a Job has completed, or failed for good.
 */
public final class Readiness {
  /**
   * @param ready up (or done)
   * @param failed will not become ready by waiting (a failed Job)
   * @param done ready replicas, nodes or completions
   * @param total how many there should be (0 when no count applies)
   * @param message what it is waiting for, "" when ready
   */
  public record State(boolean ready, boolean failed, int done, int total, String message) {
    static State ready(int done, int total) {
      return new State(true, false, done, total, "");
    }

    static State waiting(int done, int total, String message) {
      return new State(false, false, done, total, message);
    }
  }

  private Readiness() {}

  public static State judge(GenericKubernetesResource o) {
    return switch (o.getKind()) {
      case "Deployment" -> deployment(o);
      case "StatefulSet" -> statefulSet(o);
      case "DaemonSet" -> daemonSet(o);
      case "Job" -> job(o);
      case "PersistentVolumeClaim" -> claim(o);
      default -> State.ready(0, 0);
    };
  }

  static int num(GenericKubernetesResource o, Object... path) {
    Object v = o.get(path);
    return v instanceof Number n ? n.intValue() : 0;
  }

  static String str(GenericKubernetesResource o, Object... path) {
    Object v = o.get(path);
    return v == null ? "" : v.toString();
  }

  /**
   * Whether the controller has acted on the latest spec. Until it has, the status describes the
   * previous spec (or nothing at all, for a new object): a DaemonSet nobody has scheduled yet
   * reports zero nodes wanted, which must not read as "ready on all of them".
   */
  private static boolean observed(GenericKubernetesResource o) {
    Object seen = o.get("status", "observedGeneration");
    if (!(seen instanceof Number n)) {
      return false;
    }
    Long gen = o.getMetadata().getGeneration();
    return gen == null || n.longValue() >= gen;
  }

  private static int replicas(GenericKubernetesResource o) {
    Object v = o.get("spec", "replicas");
    return v instanceof Number n ? n.intValue() : 1;
  }

  static State deployment(GenericKubernetesResource o) {
    int want = replicas(o);
    int updated = num(o, "status", "updatedReplicas");
    int available = num(o, "status", "availableReplicas");
    int current = num(o, "status", "replicas");
    if (!observed(o)) {
      return State.waiting(available, want, "waiting for the controller to see the new spec");
    }
    if (updated < want) {
      return State.waiting(available, want, updated + " of " + want + " replicas updated");
    }
    if (current > updated) {
      return State.waiting(
          available, want, (current - updated) + " old replicas still terminating");
    }
    if (available < want) {
      return State.waiting(available, want, available + " of " + want + " replicas available");
    }
    return State.ready(available, want);
  }

  static State statefulSet(GenericKubernetesResource o) {
    int want = replicas(o);
    int ready = num(o, "status", "readyReplicas");
    int updated = num(o, "status", "updatedReplicas");
    if (!observed(o)) {
      return State.waiting(ready, want, "waiting for the controller to see the new spec");
    }
    boolean rolling = !"OnDelete".equals(str(o, "spec", "updateStrategy", "type"));
    if (rolling && updated < want) {
      return State.waiting(ready, want, updated + " of " + want + " pods updated");
    }
    if (ready < want) {
      return State.waiting(ready, want, ready + " of " + want + " pods ready");
    }
    String currentRev = str(o, "status", "currentRevision");
    String updateRev = str(o, "status", "updateRevision");
    if (rolling && !updateRev.isEmpty() && !currentRev.isEmpty() && !currentRev.equals(updateRev)) {
      return State.waiting(ready, want, "rolling update to revision " + updateRev + " in progress");
    }
    return State.ready(ready, want);
  }

  static State daemonSet(GenericKubernetesResource o) {
    int desired = num(o, "status", "desiredNumberScheduled");
    int ready = num(o, "status", "numberReady");
    int updated = num(o, "status", "updatedNumberScheduled");
    int available = num(o, "status", "numberAvailable");
    if (!observed(o)) {
      return State.waiting(ready, desired, "waiting for the controller to see the new spec");
    }
    if (desired == 0) {
      return new State(true, false, 0, 0, "scheduled to no node (no node matches its selector)");
    }
    if (updated < desired) {
      return State.waiting(ready, desired, updated + " of " + desired + " nodes updated");
    }
    if (ready < desired) {
      return State.waiting(ready, desired, ready + " of " + desired + " nodes ready");
    }
    if (available < desired) {
      return State.waiting(ready, desired, available + " of " + desired + " nodes available");
    }
    return State.ready(ready, desired);
  }

  @SuppressWarnings("unchecked")
  static State job(GenericKubernetesResource o) {
    Object c = o.get("spec", "completions");
    int completions = c instanceof Number n ? n.intValue() : 1;
    int succeeded = num(o, "status", "succeeded");
    Object conditions = o.get("status", "conditions");
    if (conditions instanceof List<?> list) {
      for (Object x : list) {
        if (x instanceof Map<?, ?> cond && "True".equals(cond.get("status"))) {
          if ("Complete".equals(cond.get("type"))) {
            return State.ready(succeeded, completions);
          }
          if ("Failed".equals(cond.get("type"))) {
            return new State(
                false,
                true,
                succeeded,
                completions,
                "failed: "
                    + (cond.get("reason") == null ? "" : cond.get("reason"))
                    + " "
                    + (cond.get("message") == null ? "" : cond.get("message")));
          }
        }
      }
    }
    if (succeeded >= completions) {
      return State.ready(succeeded, completions);
    }
    return State.waiting(succeeded, completions, succeeded + " of " + completions + " completions");
  }

  static State claim(GenericKubernetesResource o) {
    String phase = str(o, "status", "phase");
    if ("Bound".equals(phase)) {
      return State.ready(1, 1);
    }
    if ("Lost".equals(phase)) {
      return new State(false, true, 0, 1, "Lost: its volume is gone");
    }
    return State.waiting(
        0,
        1,
        phase.isEmpty()
            ? "not bound yet"
            : phase
                + (str(o, "spec", "storageClassName").isEmpty()
                    ? ""
                    : " (storage class " + str(o, "spec", "storageClassName") + ")"));
  }
}
