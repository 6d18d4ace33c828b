package dev.vigil.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * Why a pod is not ready, in the words {@code kubectl get pods} would use: the waiting reason of a
 * container (ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError ...), the scheduler's
 * message of a pending pod, with the restart count. The person watching a deploy sees the cause
 * without a second terminal.
 */
public final class PodTrouble {
  /** A pod's trouble, or null when it has none worth reporting. */
  public record Trouble(String pod, String reason, String message, int restarts) {
    @Override
    public String toString() {
      return "pod "
          + pod
          + ": "
          + reason
          + (restarts > 0 ? " (restarted " + restarts + " times)" : "")
          + (message.isEmpty() ? "" : ": " + message);
    }
  }

  private PodTrouble() {}

  @SuppressWarnings("unchecked")
  public static Trouble of(GenericKubernetesResource pod) {
    String name = pod.getMetadata().getName();
    int restarts = 0;
    Trouble worst = null;
    for (String field : List.of("initContainerStatuses", "containerStatuses")) {
      Object statuses = pod.get("status", field);
      if (!(statuses instanceof List<?> list)) {
        continue;
      }
      for (Object s : list) {
        if (!(s instanceof Map<?, ?> cs)) {
          continue;
        }
        Object rc = cs.get("restartCount");
        if (rc instanceof Number n) {
          restarts = Math.max(restarts, n.intValue());
        }
        Object state = cs.get("state");
        if (state instanceof Map<?, ?> st && st.get("waiting") instanceof Map<?, ?> w) {
          String reason = String.valueOf(w.get("reason"));
          if (!"ContainerCreating".equals(reason) && !"PodInitializing".equals(reason)) {
            String msg = w.get("message") == null ? "" : String.valueOf(w.get("message"));
            String last = lastTermination(cs);
            worst =
                new Trouble(
                    name, reason + " in " + cs.get("name"), !last.isEmpty() ? last : msg, restarts);
          } else if (worst == null) {
            worst = new Trouble(name, reason, "", restarts);
          }
        }
      }
    }
    if (worst != null) {
      return new Trouble(worst.pod(), worst.reason(), worst.message(), restarts);
    }
    if ("Pending".equals(Readiness.str(pod, "status", "phase"))) {
      Object conditions = pod.get("status", "conditions");
      if (conditions instanceof List<?> list) {
        for (Object c : list) {
          if (c instanceof Map<?, ?> cond
              && "PodScheduled".equals(cond.get("type"))
              && "False".equals(cond.get("status"))) {
            return new Trouble(
                name,
                "Pending",
                cond.get("message") == null ? "not scheduled" : String.valueOf(cond.get("message")),
                restarts);
          }
        }
      }
      return new Trouble(name, "Pending", "", restarts);
    }
    return null;
  }

  /** The last termination's message or reason and exit code, e.g. "Error, exit 1: ...". */
  static String lastTermination(Map<?, ?> cs) {
    if (cs.get("lastState") instanceof Map<?, ?> ls
        && ls.get("terminated") instanceof Map<?, ?> t) {
      String msg = t.get("message") == null ? "" : String.valueOf(t.get("message")).strip();
      String head = "last run " + t.get("reason") + ", exit " + t.get("exitCode");
      if (!msg.isEmpty()) {
        String[] lines = msg.split("\n");
        return head + ": " + lines[lines.length - 1];
      }
      return head;
    }
    return "";
  }
}
