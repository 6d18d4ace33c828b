package dev.vigil.apply;

import dev.vigil.apply.Plan.Step;
import dev.vigil.apply.Selection.Selected;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderedStack;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders a rendered station's objects into {@link Phase}s for the selected components. */
public final class Planner {
  private Planner() {}

  /**
   * The plan for {@code selected}. Within a phase, components come in the registry's order
   * (dependencies first) and each component's objects in the order it rendered them. The Namespace
   * of every applied object is applied too, whichever component renders it: an object cannot be
   * created in a namespace that does not exist, and applying a Namespace changes nothing else.
   */
  public static Plan plan(String instance, RenderedStack stack, Selected selected) {
    Map<String, Step> namespaceSteps = new LinkedHashMap<>();
    Set<ObjectRef> rendered = new HashSet<>();
    for (ComponentOutput out : stack.components().values()) {
      for (HasMetadata o : out.objects()) {
        ObjectRef ref = ObjectRef.of(o);
        if (!rendered.add(ref)) {
          throw new IllegalStateException("two rendered objects are the same object: " + ref);
        }
        if (ref.kind().equals("Namespace") && ref.group().isEmpty()) {
          namespaceSteps.put(ref.name(), new Step(Phase.NAMESPACES, out.component(), o, ref));
        }
      }
    }
    Map<Phase, List<Step>> phases = new EnumMap<>(Phase.class);
    Set<ObjectRef> planned = new HashSet<>();
    Set<String> neededNamespaces = new java.util.TreeSet<>();
    for (String component : selected.components()) {
      ComponentOutput out = stack.components().get(component);
      if (out == null) {
        continue;
      }
      for (HasMetadata o : out.objects()) {
        ObjectRef ref = ObjectRef.of(o);
        Phase phase = Kinds.phase(ref);
        phases
            .computeIfAbsent(phase, p -> new ArrayList<>())
            .add(new Step(phase, component, o, ref));
        planned.add(ref);
        if (ref.namespace() != null) {
          neededNamespaces.add(ref.namespace());
        }
      }
    }
    List<Step> extraNamespaces = new ArrayList<>();
    for (String ns : neededNamespaces) {
      Step s = namespaceSteps.get(ns);
      if (s != null && !planned.contains(s.ref())) {
        extraNamespaces.add(s);
      }
    }
    if (!extraNamespaces.isEmpty()) {
      List<Step> first = new ArrayList<>(extraNamespaces);
      first.addAll(phases.getOrDefault(Phase.NAMESPACES, List.of()));
      phases.put(Phase.NAMESPACES, first);
    }
    return new Plan(instance, selected, phases, rendered);
  }
}
