package dev.vigil.apply;

import dev.vigil.apply.Selection.Selected;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a deploy applies, phase by phase, and what the station renders as a whole (the objects that
 * are not pruned). Built by {@link Planner}; nothing in it talks to a cluster.
 */
public final class Plan {
  /** One object to apply, with the component that rendered it. */
  public record Step(Phase phase, String component, HasMetadata object, ObjectRef ref) {}

  private final String instance;
  private final Selected selection;
  private final Map<Phase, List<Step>> phases;
  private final Set<ObjectRef> rendered;

  Plan(
      String instance, Selected selection, Map<Phase, List<Step>> phases, Set<ObjectRef> rendered) {
    this.instance = instance;
    this.selection = selection;
    Map<Phase, List<Step>> m = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      m.put(p, List.copyOf(phases.getOrDefault(p, List.of())));
    }
    this.phases = Collections.unmodifiableMap(m);
    this.rendered = Collections.unmodifiableSet(new TreeSet<>(rendered));
  }

  /** app.kubernetes.io/instance of the station's objects: the cluster name of the spec. */
  public String instance() {
    return instance;
  }

  public Selected selection() {
    return selection;
  }

  /** The steps of a phase, in apply order. */
  public List<Step> phase(Phase p) {
    return phases.get(p);
  }

  /** Every step, phase by phase. */
  public List<Step> steps() {
    List<Step> all = new ArrayList<>();
    for (Phase p : Phase.values()) {
      all.addAll(phases.get(p));
    }
    return all;
  }

  /** Every object the whole station renders, selected or not: what prune keeps. */
  public Set<ObjectRef> rendered() {
    return rendered;
  }

  /** The namespaces the applied objects live in. */
  public Set<String> namespaces() {
    Set<String> ns = new LinkedHashSet<>();
    steps()
        .forEach(
            s -> {
              if (s.ref().namespace() != null) {
                ns.add(s.ref().namespace());
              }
              if (s.ref().kind().equals("Namespace")) {
                ns.add(s.ref().name());
              }
            });
    return ns;
  }

  public int size() {
    return steps().size();
  }
}
