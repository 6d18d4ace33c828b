package dev.vigil.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod spec inside any pod-bearing object, with the path to it and its containers.
 *
 * @param owner the object that carries it
 * @param spec the pod spec
 * @param meta the pod (template) metadata
 * @param prefix field path of the spec inside the object, for messages
 */
public record PodSpec(Manifest owner, Map<String, Object> spec, Map<String, Object> meta, String prefix) {

  public static final Set<String> WORKLOAD_KINDS =
      Set.of(
          "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController");

  /** A container with the list it sits in ({@code containers}, {@code initContainers}, ...). */
  public record Container(Map<String, Object> body, String list, int index) {
    public String name() {
      String n = Y.str(body, "name");
      return n == null ? "#" + index : n;
    }

    public Map<String, Object> securityContext() {
      return Y.map(body, "securityContext");
    }

    public String image() {
      String i = Y.str(body, "image");
      return i == null ? "" : i;
    }

    public boolean ephemeral() {
      return list.equals("ephemeralContainers");
    }

    public boolean init() {
      return list.equals("initContainers");
    }

    /** An init container with restartPolicy Always runs for the pod's life (a sidecar). */
    public boolean sidecar() {
      return init() && "Always".equals(Y.str(body, "restartPolicy"));
    }

    public String describe() {
      String what = ephemeral() ? "ephemeral container" : init() ? "init container" : "container";
      return what + " \"" + name() + "\"";
    }
  }

  /** The pod spec of a pod-bearing object, or null for any other kind. */
  public static PodSpec of(Manifest m) {
    Map<String, Object> r = m.root();
    String kind = m.kind();
    if (kind.equals("Pod")) {
      return has(Y.map(r, "spec")) ? new PodSpec(m, Y.map(r, "spec"), m.metadata(), "spec") : null;
    }
    if (kind.equals("PodTemplate")) {
      Map<String, Object> t = Y.map(r, "template");
      return new PodSpec(m, Y.map(t, "spec"), Y.map(t, "metadata"), "template.spec");
    }
    if (kind.equals("CronJob")) {
      Map<String, Object> t =
          Y.map(Y.map(Y.map(Y.map(r, "spec"), "jobTemplate"), "spec"), "template");
      return new PodSpec(m, Y.map(t, "spec"), Y.map(t, "metadata"), "spec.jobTemplate.spec.template.spec");
    }
    if (WORKLOAD_KINDS.contains(kind)) {
      Map<String, Object> t = Y.map(Y.map(r, "spec"), "template");
      return new PodSpec(m, Y.map(t, "spec"), Y.map(t, "metadata"), "spec.template.spec");
    }
    return null;
  }

  private static boolean has(Map<String, Object> m) {
    return !m.isEmpty();
  }

  public Map<String, Object> securityContext() {
    return Y.map(spec, "securityContext");
  }

  public Map<String, Object> labels() {
    return Y.map(meta, "labels");
  }

  public Map<String, Object> annotations() {
    return Y.map(meta, "annotations");
  }

  /** Containers, init containers and ephemeral containers, in that order. */
  public List<Container> allContainers() {
    List<Container> out = new ArrayList<>();
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      List<Object> cs = Y.list(spec, list);
      for (int i = 0; i < cs.size(); i++) {
        out.add(new Container(Y.asMap(cs.get(i)), list, i));
      }
    }
    return out;
  }

  /** Containers and init containers: what runs in a normal pod. */
  public List<Container> runContainers() {
    return allContainers().stream().filter(c -> !c.ephemeral()).toList();
  }

  /** Containers that run for the pod's whole life: main containers and sidecars. */
  public List<Container> longRunning() {
    return allContainers().stream().filter(c -> c.list().equals("containers") || c.sidecar()).toList();
  }

  public boolean windows() {
    return "windows".equals(Y.str(Y.map(spec, "os"), "name"));
  }

  /** Replica count of a replicated workload; 1 when unset, as the API server defaults it. */
  public long replicas() {
    Long r = Y.num(Y.map(owner.root(), "spec"), "replicas");
    return r == null ? 1 : r;
  }

  /** Whether the object runs pods continuously (not a Job or a CronJob). */
  public boolean longLived() {
    String k = owner.kind();
    return !k.equals("Job") && !k.equals("CronJob");
  }
}
