package dev.vigil.apply;

import dev.vigil.apply.kube.ClusterTarget;
import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An API server in memory for the planner's tests: objects by identity, server-side apply that
 * bumps the resource version only when the object changes, RBAC answers from a deny list, APIs from
 * a served list. It records every write so tests can assert the order and the flags.
 */
final class FakeKube implements KubeApi {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  record Write(String verb, ObjectRef ref, boolean dryRun, boolean force) {}

  final Map<String, GenericKubernetesResource> objects = new LinkedHashMap<>();
  final List<Write> writes = new ArrayList<>();
  final Set<String> denied = new HashSet<>();
  final Set<String> served = new HashSet<>();
  final Map<String, KubeException> failApply = new HashMap<>();
  KubeException failEverything;
  int reads;
  private long rv = 100;

  private static String key(ObjectRef r) {
    return r.group()
        + "/"
        + r.kind()
        + "/"
        + (r.namespace() == null ? "" : r.namespace())
        + "/"
        + r.name();
  }

  @Override
  public ClusterTarget target() {
    return new ClusterTarget("test-context", "https://203.0.113.1:6443", "alice");
  }

  private void gate() throws KubeException {
    if (failEverything != null) {
      throw failEverything;
    }
  }

  @Override
  public String serverVersion() throws KubeException {
    gate();
    return "v1.31.0";
  }

  GenericKubernetesResource put(HasMetadata o) {
    GenericKubernetesResource g = JSON.convertValue(o, GenericKubernetesResource.class);
    g.getMetadata().setResourceVersion(String.valueOf(++rv));
    objects.put(key(ObjectRef.of(o)), g);
    return g;
  }

  GenericKubernetesResource put(GenericKubernetesResource g) {
    g.getMetadata().setResourceVersion(String.valueOf(++rv));
    objects.put(
        key(
            new ObjectRef(
                g.getApiVersion(),
                g.getKind(),
                g.getMetadata().getNamespace(),
                g.getMetadata().getName())),
        g);
    return g;
  }

  GenericKubernetesResource live(ObjectRef ref) {
    return objects.get(key(ref));
  }

  @Override
  public Optional<GenericKubernetesResource> get(ObjectRef ref) throws KubeException {
    gate();
    reads++;
    GenericKubernetesResource g = objects.get(key(ref));
    return Optional.ofNullable(
        g == null ? null : JSON.convertValue(g, GenericKubernetesResource.class));
  }

  @Override
  public List<GenericKubernetesResource> list(
      Kinds.Kind kind, String namespace, Map<String, String> labels) throws KubeException {
    gate();
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (GenericKubernetesResource g : objects.values()) {
      if (!g.getKind().equals(kind.kind())) {
        continue;
      }
      if (namespace != null && !namespace.equals(g.getMetadata().getNamespace())) {
        continue;
      }
      Map<String, String> l =
          g.getMetadata().getLabels() == null ? Map.of() : g.getMetadata().getLabels();
      if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
        out.add(g);
      }
    }
    return out;
  }

  @Override
  public GenericKubernetesResource apply(HasMetadata object, boolean dryRun, boolean force)
      throws KubeException {
    gate();
    ObjectRef ref = ObjectRef.of(object);
    writes.add(new Write("apply", ref, dryRun, force));
    KubeException f = failApply.get(key(ref));
    if (f != null) {
      throw f;
    }
    GenericKubernetesResource next = JSON.convertValue(object, GenericKubernetesResource.class);
    GenericKubernetesResource old = objects.get(key(ref));
    if (old != null && Normalized.of(old).equals(Normalized.of(next))) {
      return JSON.convertValue(old, GenericKubernetesResource.class);
    }
    next.getMetadata().setResourceVersion(String.valueOf(dryRun ? rv : ++rv));
    long generation =
        old == null || old.getMetadata().getGeneration() == null
            ? 0
            : old.getMetadata().getGeneration();
    next.getMetadata().setGeneration(generation + 1);
    if (old != null && old.get("status") != null) {
      next.setAdditionalProperty("status", old.get("status"));
    }
    if (!dryRun) {
      objects.put(key(ref), next);
    }
    return JSON.convertValue(next, GenericKubernetesResource.class);
  }

  @Override
  public void delete(ObjectRef ref) throws KubeException {
    gate();
    writes.add(new Write("delete", ref, false, false));
    objects.remove(key(ref));
  }

  @Override
  public boolean serves(String apiVersion, String kind) throws KubeException {
    gate();
    return served.contains(apiVersion + " " + kind);
  }

  @Override
  public Optional<Set<String>> secretKeys(String namespace, String name) throws KubeException {
    gate();
    GenericKubernetesResource s = objects.get(key(new ObjectRef("v1", "Secret", namespace, name)));
    if (s == null) {
      return Optional.empty();
    }
    Object data = s.get("data");
    return Optional.of(
        data instanceof Map<?, ?> m
            ? new TreeSet<>(m.keySet().stream().map(String::valueOf).toList())
            : new TreeSet<>());
  }

  @Override
  public Optional<String> secretValue(String namespace, String name, String key)
      throws KubeException {
    gate();
    GenericKubernetesResource s = objects.get(key(new ObjectRef("v1", "Secret", namespace, name)));
    Object v = s == null ? null : s.get("data", key);
    return Optional.ofNullable(
        v == null
            ? null
            : new String(
                java.util.Base64.getDecoder().decode(v.toString()),
                java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean allowed(String verb, String group, String resource, String namespace)
      throws KubeException {
    gate();
    return !denied.contains(verb + " " + resource + " " + (namespace == null ? "*" : namespace));
  }

  @Override
  public String log(
      String namespace, String pod, String container, boolean previous, int tailLines) {
    return "";
  }

  @Override
  public Forward forward(String namespace, String kind, String name, int port) {
    throw new UnsupportedOperationException("no port-forward in memory");
  }

  @Override
  public void close() {}

  /** A Secret with the given keys (values are the key names). */
  void secret(String namespace, String name, String... keys) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (String k : keys) {
      data.put(
          k,
          java.util.Base64.getEncoder()
              .encodeToString(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    GenericKubernetesResource g = new GenericKubernetesResource();
    g.setApiVersion("v1");
    g.setKind("Secret");
    g.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .build());
    g.setAdditionalProperty("data", data);
    put(g);
  }

  /** Sets a status field path on a live object. */
  @SuppressWarnings("unchecked")
  void status(ObjectRef ref, Map<String, Object> status) {
    GenericKubernetesResource g = objects.get(key(ref));
    if (g == null) {
      throw new IllegalArgumentException("no " + ref);
    }
    g.setAdditionalProperty("status", new LinkedHashMap<>(status));
  }
}
