package dev.vigil.apply;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import dev.vigil.render.k8s.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --prune}: deletes the station's objects that the render no longer produces — a component
 * switched off, an object renamed. An object is the station's when it carries all three labels
 * Vigil puts on everything it renders (part-of vigil, managed-by vigil, instance the cluster name).
 * Namespaces and claims are never pruned (see {@link Kinds#prunable}), nor objects a controller
 * owns. With {@code --only} or {@code --tags}, only objects of the selected components are
 * candidates, so a partial deploy never deletes the rest of the station.
 */
public final class Pruner {
  /** An object to delete, with the component whose label it carries. */
  public record Candidate(ObjectRef ref, String component) {}

  private Pruner() {}

  /** The labels every object of the station carries. */
  public static Map<String, String> stationLabels(String instance) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Labels.PART_OF, "vigil");
    m.put(Labels.INSTANCE, instance);
    m.put(Labels.MANAGED_BY, "vigil");
    return m;
  }

  /**
   * Lists the station's live objects of every prunable kind and picks those the render no longer
   * has.
   */
  public static List<Candidate> candidates(Plan plan, KubeApi kube) throws KubeException {
    List<GenericKubernetesResource> live = new ArrayList<>();
    for (Kinds.Kind k : Kinds.all()) {
      if (Kinds.prunable(k)) {
        live.addAll(kube.list(k, null, stationLabels(plan.instance())));
      }
    }
    return select(live, plan);
  }

  /** The pure part: which of the listed objects go. */
  public static List<Candidate> select(List<GenericKubernetesResource> live, Plan plan) {
    boolean partial = !plan.selection().everything();
    List<Candidate> out = new ArrayList<>();
    for (GenericKubernetesResource o : live) {
      var meta = o.getMetadata();
      Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
      if (!stationLabels(plan.instance()).entrySet().stream()
          .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        continue;
      }
      if (meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()) {
        continue;
      }
      ObjectRef ref =
          new ObjectRef(o.getApiVersion(), o.getKind(), meta.getNamespace(), meta.getName());
      var kind = Kinds.of(ref);
      if (kind.isEmpty() || !Kinds.prunable(kind.get())) {
        continue;
      }
      if (plan.rendered().stream().anyMatch(ref::sameObject)) {
        continue;
      }
      String component = labels.getOrDefault(Labels.NAME, "");
      if (partial && !plan.selection().includes(component)) {
        continue;
      }
      out.add(new Candidate(ref, component));
    }
    out.sort((a, b) -> a.ref().compareTo(b.ref()));
    return out;
  }
}
