package dev.vigil.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod spec inside any pod-bearing object, with the path to it and its containers.
 *
 * <p>Containers and the common fields are extracted once, since every pod rule walks them.
 */
public final class PodSpec {
  private final Manifest owner;
  private final Map<String, Object> spec;
  private final Map<String, Object> meta;
  private final String prefix;
  private final List<Container> all;
  private final List<Container> run;
  private final List<Container> longRunning;
  private final Map<String, Object> securityContext;
  private final Map<String, Object> labels;
  private final Map<String, Object> annotations;

  PodSpec(Manifest owner, Map<String, Object> spec, Map<String, Object> meta, String prefix) {
    this.owner = owner;
    this.spec = spec;
    this.meta = meta;
    this.prefix = prefix;
    List<Container> out = new ArrayList<>();
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      List<Object> cs = YamlValues.list(spec, list);
      for (int i = 0; i < cs.size(); i++) {
        out.add(Container.of(YamlValues.asMap(cs.get(i)), list, i));
      }
    }
    this.all = List.copyOf(out);
    // Loops, not streams: this runs for every pod-bearing object, most often before the JIT
    // has compiled anything. Most pods have only containers, and then all three lists are one.
    List<Container> running = new ArrayList<>(all.size());
    List<Container> lasting = new ArrayList<>(all.size());
    for (Container c : all) {
      if (!c.ephemeral()) {
        running.add(c);
      }
      if (c.list().equals("containers") || c.sidecar()) {
        lasting.add(c);
      }
    }
    this.run = running.size() == all.size() ? all : List.copyOf(running);
    this.longRunning = lasting.size() == all.size() ? all : List.copyOf(lasting);
    this.securityContext = YamlValues.map(spec, "securityContext");
    this.labels = YamlValues.map(meta, "labels");
    this.annotations = YamlValues.map(meta, "annotations");
  }

  public Manifest owner() {
    return owner;
  }

  public Map<String, Object> spec() {
    return spec;
  }

  public Map<String, Object> meta() {
    return meta;
  }

  /** Field path of the spec inside the object, for messages. */
  public String prefix() {
    return prefix;
  }

  public static final Set<String> WORKLOAD_KINDS =
      Set.of(
          "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController");

  /** A container with the list it sits in ({@code containers}, {@code initContainers}, ...). */
  public record Container(
      Map<String, Object> body,
      String list,
      int index,
      String name,
      String image,
      Map<String, Object> securityContext) {
    static Container of(Map<String, Object> body, String list, int index) {
      String n = YamlValues.str(body, "name");
      String i = YamlValues.str(body, "image");
      return new Container(
          body,
          list,
          index,
          n == null ? "#" + index : n,
          i == null ? "" : i,
          YamlValues.map(body, "securityContext"));
    }

    public boolean ephemeral() {
      return list.equals("ephemeralContainers");
    }

    public boolean init() {
      return list.equals("initContainers");
    }

    /** An init container with restartPolicy Always runs for the pod's life (a sidecar). */
    public boolean sidecar() {
      return init() && "Always".equals(YamlValues.str(body, "restartPolicy"));
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
      return has(YamlValues.map(r, "spec"))
          ? new PodSpec(m, YamlValues.map(r, "spec"), m.metadata(), "spec")
          : null;
    }
    if (kind.equals("PodTemplate")) {
      Map<String, Object> t = YamlValues.map(r, "template");
      return new PodSpec(
          m, YamlValues.map(t, "spec"), YamlValues.map(t, "metadata"), "template.spec");
    }
    if (kind.equals("CronJob")) {
      Map<String, Object> t =
          YamlValues.map(
              YamlValues.map(YamlValues.map(YamlValues.map(r, "spec"), "jobTemplate"), "spec"),
              "template");
      return new PodSpec(
          m,
          YamlValues.map(t, "spec"),
          YamlValues.map(t, "metadata"),
          "spec.jobTemplate.spec.template.spec");
    }
    if (WORKLOAD_KINDS.contains(kind)) {
      Map<String, Object> t = YamlValues.map(YamlValues.map(r, "spec"), "template");
      return new PodSpec(
          m, YamlValues.map(t, "spec"), YamlValues.map(t, "metadata"), "spec.template.spec");
    }
    return null;
  }

  private static boolean has(Map<String, Object> m) {
    return !m.isEmpty();
  }

  public Map<String, Object> securityContext() {
    return securityContext;
  }

  public Map<String, Object> labels() {
    return labels;
  }

  public Map<String, Object> annotations() {
    return annotations;
  }

  /** Containers, init containers and ephemeral containers, in that order. */
  public List<Container> allContainers() {
    return all;
  }

  /** Containers and init containers: what runs in a normal pod. */
  public List<Container> runContainers() {
    return run;
  }

  /** Containers that run for the pod's whole life: main containers and sidecars. */
  public List<Container> longRunning() {
    return longRunning;
  }

  public boolean windows() {
    return "windows".equals(YamlValues.str(YamlValues.map(spec, "os"), "name"));
  }

  /** Replica count of a replicated workload; 1 when unset, as the API server defaults it. */
  public long replicas() {
    Long r = YamlValues.num(YamlValues.map(owner.root(), "spec"), "replicas");
    return r == null ? 1 : r;
  }

  /** Whether the object runs pods continuously (not a Job or a CronJob). */
  public boolean longLived() {
    String k = owner.kind();
    return !k.equals("Job") && !k.equals("CronJob");
  }
}
