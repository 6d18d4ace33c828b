package dev.vigil.apply;

import dev.vigil.render.Component;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which components a deploy touches: all the station renders, or those named with {@code --only}
 * and those carrying a {@code --tags} tag (the union), like an Ansible run limited by tags. The
 * components they need at run time come too — the Services named in {@link Component#dependsOn()},
 * and for a component that reads the datasources of the others (Grafana) the components offering
 * them — unless dependencies are turned off; either way the result says what was added or left out,
 * and why.
 */
public final class Selection {
  /** Thrown for a name or tag that selects nothing; the message says what was expected. */
  public static final class SelectionException extends Exception {
    SelectionException(String message) {
      super(message);
    }
  }

  /**
   * The components chosen.
   *
   * @param components every component to apply, in the registry's order (dependencies first)
   * @param requested the ones named by --only or --tags (all of them when nothing was named)
   * @param added dependencies applied because a requested component needs them, with the reasons
   * @param leftOut dependencies not applied because dependencies were turned off, with the reasons
   * @param everything whether every component the station renders is applied
   */
  public record Selected(
      List<String> components,
      Set<String> requested,
      Map<String, List<String>> added,
      Map<String, List<String>> leftOut,
      boolean everything) {

    public boolean includes(String component) {
      return components.contains(component);
    }
  }

  private Selection() {}

  /**
   * @param enabled the components the station renders
   * @param only names given with --only (empty for none)
   * @param tags tags given with --tags (empty for none)
   * @param withDependencies whether to apply the components the chosen ones need
   */
  public static Selected select(
      ComponentRegistry registry,
      Set<String> enabled,
      Set<String> only,
      Set<String> tags,
      boolean withDependencies)
      throws SelectionException {
    List<String> order = new ArrayList<>();
    registry
        .components()
        .forEach(
            c -> {
              if (enabled.contains(c.name())) {
                order.add(c.name());
              }
            });
    Set<String> requested = new TreeSet<>();
    if (only.isEmpty() && tags.isEmpty()) {
      requested.addAll(order);
    }
    for (String name : only) {
      if (registry.renderer(name) == null) {
        String hint =
            dev.vigil.spec.bind.Names.didYouMean(name, registry.names())
                .map(n -> "; did you mean '" + n + "'?")
                .orElse("");
        throw new SelectionException(
            "--only: no component named '"
                + name
                + "'"
                + hint
                + " (components: "
                + String.join(", ", order)
                + ")");
      }
      if (!enabled.contains(name)) {
        throw new SelectionException(
            "--only: "
                + name
                + " is not enabled in this station, so there is nothing"
                + " of it to apply (enabled: "
                + String.join(", ", order)
                + ")");
      }
      requested.add(name);
    }
    for (String text : tags) {
      Tag tag;
      try {
        tag = Tag.parse(text);
      } catch (IllegalArgumentException e) {
        throw new SelectionException("--tags: " + e.getMessage());
      }
      Set<String> tagged = new TreeSet<>(registry.tagged(Set.of(tag)));
      tagged.retainAll(enabled);
      if (tagged.isEmpty()) {
        throw new SelectionException(
            "--tags: no enabled component carries the tag '"
                + tag.label()
                + "' (tags of the enabled components: "
                + enabledTags(registry, enabled)
                + ")");
      }
      requested.addAll(tagged);
    }

    Map<String, List<String>> needs = new LinkedHashMap<>();
    Set<String> chosen = new LinkedHashSet<>(requested);
    List<String> todo = new ArrayList<>(requested);
    while (!todo.isEmpty()) {
      String c = todo.remove(0);
      for (Map.Entry<String, String> dep : needs(registry, enabled, c).entrySet()) {
        if (chosen.contains(dep.getKey())) {
          continue;
        }
        needs.computeIfAbsent(dep.getKey(), k -> new ArrayList<>()).add(dep.getValue());
        if (withDependencies) {
          chosen.add(dep.getKey());
          todo.add(dep.getKey());
        }
      }
    }
    Map<String, List<String>> added = withDependencies ? needs : Map.of();
    Map<String, List<String>> leftOut = withDependencies ? Map.of() : needs;
    List<String> components = order.stream().filter(chosen::contains).toList();
    return new Selected(components, requested, added, leftOut, components.size() == order.size());
  }

  /** What one component needs of the enabled others: component → why. */
  static Map<String, String> needs(ComponentRegistry registry, Set<String> enabled, String name) {
    Component c = registry.renderer(name).component();
    Map<String, String> out = new LinkedHashMap<>();
    for (String dep : c.dependsOn()) {
      if (enabled.contains(dep)) {
        out.put(dep, name + " talks to its Service");
      }
    }
    if (c.reads().contains(Component.Extension.DATASOURCES)) {
      for (Component other : registry.components()) {
        if (!other.name().equals(name)
            && enabled.contains(other.name())
            && !other.datasources().isEmpty()) {
          out.putIfAbsent(
              other.name(),
              name
                  + " queries its datasource ("
                  + String.join(", ", other.datasources().stream().map(d -> d.uid()).toList())
                  + ")");
        }
      }
    }
    return out;
  }

  private static String enabledTags(ComponentRegistry registry, Set<String> enabled) {
    Set<String> t = new TreeSet<>();
    registry.components().stream()
        .filter(c -> enabled.contains(c.name()))
        .forEach(c -> c.tags().forEach(x -> t.add(x.label())));
    return String.join(", ", t);
  }
}
