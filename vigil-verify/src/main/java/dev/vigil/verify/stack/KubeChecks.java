package dev.vigil.verify.stack;

import dev.vigil.apply.Kinds;
import dev.vigil.apply.PodTrouble;
import dev.vigil.apply.Readiness;
import dev.vigil.apply.Watch;
import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import dev.vigil.render.k8s.Labels;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster side of the checklists: every workload rolled out and ready, every claim bound, no
 * pod restarting in a loop — and for chrony, whose pods bind UDP 123 on the node, whether the
 * node's own NTP daemon holds that port (chronyd then runs without serving anyone).
 */
public final class KubeChecks {
  static final String TARGET = "kubernetes";
  static final int LOOP_RESTARTS = 3;
  static final Duration RECENT = Duration.ofMinutes(30);

  private KubeChecks() {}

  public static List<Check> run(KubeApi kube, Expectations ex, Clock clock) {
    List<Check> out = new ArrayList<>();
    try {
      for (Watch w : ex.watches()) {
        out.add(workload(kube, w));
      }
      for (String ns : ex.namespaces()) {
        out.addAll(pods(kube, ex, ns, clock));
      }
    } catch (KubeException e) {
      out.add(new Check(TARGET, "cluster", Verdict.UNKNOWN, "", "", e.getMessage()));
    }
    return out;
  }

  static Check workload(KubeApi kube, Watch w) throws KubeException {
    String check = w.ref().kind() + " " + w.ref().namespace() + "/" + w.ref().name();
    Optional<GenericKubernetesResource> live = kube.get(w.ref());
    if (live.isEmpty()) {
      return new Check(
          w.component(),
          check,
          Verdict.FAIL,
          "absent",
          w.workload() ? "ready" : "Bound",
          "not deployed (vigil apply)");
    }
    Readiness.State s = Readiness.judge(live.get());
    String figure =
        w.workload()
            ? s.done()
                + "/"
                + s.total()
                + (w.ref().kind().equals("DaemonSet") ? " nodes ready" : " ready")
            : s.ready() ? "Bound" : Readiness.judge(live.get()).message();
    if (s.ready()) {
      return new Check(
          w.component(),
          check,
          Verdict.PASS,
          figure,
          w.workload() ? "all ready" : "Bound",
          s.message(),
          w.workload() ? (double) s.done() : null);
    }
    String detail = s.message();
    if (w.workload() && !w.pods().isEmpty()) {
      for (GenericKubernetesResource pod : kube.list(Kinds.POD, w.ref().namespace(), w.pods())) {
        PodTrouble.Trouble t = PodTrouble.of(pod);
        if (t != null) {
          detail += "; " + t;
          break;
        }
      }
    }
    return new Check(
        w.component(),
        check,
        Verdict.FAIL,
        figure,
        w.workload() ? "all ready" : "Bound",
        detail,
        w.workload() ? (double) s.done() : null);
  }

  static List<Check> pods(KubeApi kube, Expectations ex, String ns, Clock clock)
      throws KubeException {
    List<Check> out = new ArrayList<>();
    List<GenericKubernetesResource> pods =
        kube.list(Kinds.POD, ns, Map.of(Labels.INSTANCE, ex.instance()));
    int looping = 0;
    for (GenericKubernetesResource pod : pods) {
      Check c = restarts(kube, pod, clock);
      if (c != null) {
        out.add(c);
        looping++;
      }
    }
    if (looping == 0) {
      out.add(
          new Check(
              TARGET,
              "pods in " + ns,
              Verdict.PASS,
              pods.size() + " pods",
              "none restarting in a loop",
              "",
              (double) pods.size()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Check restarts(KubeApi kube, GenericKubernetesResource pod, Clock clock)
      throws KubeException {
    String name = pod.getMetadata().getName();
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> labels =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    String component = labels.getOrDefault(Labels.NAME, TARGET);
    boolean chrony = component.equals("chrony");
    Object statuses = pod.get("status", "containerStatuses");
    if (!(statuses instanceof List<?> list)) {
      return null;
    }
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> cs)) {
        continue;
      }
      String container = String.valueOf(cs.get("name"));
      int restarts = cs.get("restartCount") instanceof Number n ? n.intValue() : 0;
      String waiting =
          cs.get("state") instanceof Map<?, ?> st && st.get("waiting") instanceof Map<?, ?> w
              ? String.valueOf(w.get("reason"))
              : "";
      String lastMessage = "";
      Instant lastEnd = null;
      if (cs.get("lastState") instanceof Map<?, ?> ls
          && ls.get("terminated") instanceof Map<?, ?> t) {
        lastMessage = t.get("message") == null ? "" : String.valueOf(t.get("message"));
        if (t.get("finishedAt") != null) {
          try {
            lastEnd = Instant.parse(String.valueOf(t.get("finishedAt")));
          } catch (RuntimeException e) {
            lastEnd = null;
          }
        }
      }
      boolean crashLoop = waiting.equals("CrashLoopBackOff");
      boolean recent =
          lastEnd != null && Duration.between(lastEnd, clock.instant()).compareTo(RECENT) < 0;
      String check = "pod " + ns + "/" + name;
      if (chrony) {
        String log = lastMessage;
        boolean running = cs.get("state") instanceof Map<?, ?> st && st.get("running") != null;
        if (running && container.equals("chronyd")) {
          log = log + "\n" + kube.log(ns, name, container, false, 200);
        }
        if (holdsPort(log)) {
          return new Check(
              component,
              check,
              Verdict.FAIL,
              crashLoop ? "CrashLoopBackOff, " + restarts + " restarts" : "serves no NTP",
              "serving NTP on UDP 123",
              "UDP 123 on node "
                  + node(pod)
                  + " is held by the host's own NTP"
                  + " daemon (chronyd, ntpd or systemd-timesyncd), so chronyd cannot serve: stop it on the node"
                  + " (timedatectl set-ntp false, or systemctl disable --now chronyd / ntp / systemd-timesyncd)",
              (double) restarts);
        }
      }
      if (crashLoop || (restarts >= LOOP_RESTARTS && recent)) {
        String last = lastMessage.isBlank() ? "" : ": " + lastLine(lastMessage);
        return new Check(
            component,
            check,
            crashLoop ? Verdict.FAIL : Verdict.WARN,
            (crashLoop ? "CrashLoopBackOff, " : "") + restarts + " restarts",
            "not restarting in a loop",
            "container " + container + last,
            (double) restarts);
      }
    }
    return null;
  }

  static boolean holdsPort(String log) {
    return log.contains("Could not open NTP socket")
        || log.contains("Could not bind") && log.contains("NTP")
        || log.contains("Address already in use") && log.contains("123");
  }

  private static String node(GenericKubernetesResource pod) {
    Object n = pod.get("spec", "nodeName");
    return n == null ? "?" : n.toString();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
