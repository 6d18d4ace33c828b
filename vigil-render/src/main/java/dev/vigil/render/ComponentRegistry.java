package dev.vigil.render;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every component Vigil can render, found through {@link ServiceLoader} (each renderer registers
 * itself with {@code @AutoService(ComponentRenderer.class)}), checked for consistency, and ordered
 * so each comes after the components it depends on (by name where nothing orders them). The lists
 * other code needs — images, stateful components, reserved scrape jobs, tags — come from here.
 */
public final class ComponentRegistry {
  private static final ComponentRegistry DEFAULT = new ComponentRegistry(discover());

  private final List<ComponentRenderer> renderers;
  private final Map<String, ComponentRenderer> byName;

  /** A registry of the given renderers (tests); {@link #load()} is the one the tool uses. */
  public ComponentRegistry(List<ComponentRenderer> found) {
    Map<String, ComponentRenderer> named = new TreeMap<>();
    Map<String, String> imageOwner = new HashMap<>();
    Map<String, String> jobOwner = new HashMap<>();
    Map<String, String> ruleOwner = new HashMap<>();
    Map<String, String> dashboardOwner = new HashMap<>();
    for (ComponentRenderer r : found) {
      Component c = r.component();
      if (named.put(c.name(), r) != null) {
        throw new IllegalStateException("two renderers for component " + c.name());
      }
      c.images().forEach(i -> claim(imageOwner, "image " + i.name(), c.name()));
      c.scrapeJobs().forEach(j -> claim(jobOwner, "scrape job " + j, c.name()));
      c.ruleFiles().forEach(f -> claim(ruleOwner, "rule file " + f, c.name()));
      c.dashboards().forEach(d -> claim(dashboardOwner, "dashboard " + d, c.name()));
    }
    for (ComponentRenderer r : named.values()) {
      for (String dep : r.component().dependsOn()) {
        if (!named.containsKey(dep)) {
          throw new IllegalStateException(r.name() + " depends on unknown component " + dep);
        }
      }
    }
    this.renderers = List.copyOf(ordered(named));
    Map<String, ComponentRenderer> m = new LinkedHashMap<>();
    renderers.forEach(r -> m.put(r.name(), r));
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The registry of every renderer on the class path. */
  public static ComponentRegistry load() {
    return DEFAULT;
  }

  private static List<ComponentRenderer> discover() {
    List<ComponentRenderer> found = new ArrayList<>();
    ServiceLoader.load(ComponentRenderer.class, ComponentRegistry.class.getClassLoader())
        .forEach(found::add);
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no component renderers on the class path (META-INF/services missing?)");
    }
    return found;
  }

  private static void claim(Map<String, String> owners, String what, String component) {
    String earlier = owners.put(what, component);
    if (earlier != null && !earlier.equals(component)) {
      throw new IllegalStateException(
          what + " is declared by both " + earlier + " and " + component);
    }
  }

  /** Dependencies first; among components free to go, by name. A cycle is a declaration error. */
  private static List<ComponentRenderer> ordered(Map<String, ComponentRenderer> named) {
    List<ComponentRenderer> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (done.size() < named.size()) {
      String next = null;
      for (ComponentRenderer r : named.values()) {
        if (!done.contains(r.name()) && done.containsAll(r.component().dependsOn())) {
          next = r.name();
          break;
        }
      }
      if (next == null) {
        Set<String> left = new TreeSet<>(named.keySet());
        left.removeAll(done);
        throw new IllegalStateException("components depend on each other in a cycle: " + left);
      }
      done.add(next);
      out.add(named.get(next));
    }
    return out;
  }

  /** Every renderer, dependencies first. */
  public List<ComponentRenderer> renderers() {
    return renderers;
  }

  public List<Component> components() {
    return renderers.stream().map(ComponentRenderer::component).toList();
  }

  /** The renderer of a component, or null. */
  public ComponentRenderer renderer(String component) {
    return byName.get(component);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /** Image name → pinned reference, sorted by name: what `vigil render` and the docs list. */
  public Map<String, String> images() {
    Map<String, String> m = new TreeMap<>();
    components().forEach(c -> c.images().forEach(i -> m.put(i.name(), i.reference())));
    return Collections.unmodifiableMap(m);
  }

  /** The component that runs an image, by image name, or null. */
  public Component imageOwner(String imageName) {
    for (Component c : components()) {
      if (c.images().stream().anyMatch(i -> i.name().equals(imageName))) {
        return c;
      }
    }
    return null;
  }

  /** Names of the components that keep state. */
  public Set<String> statefulNames() {
    Set<String> s = new TreeSet<>();
    components().stream().filter(Component::stateful).forEach(c -> s.add(c.name()));
    return Collections.unmodifiableSet(s);
  }

  /** Every scrape job name a component renders. */
  public Set<String> scrapeJobNames() {
    Set<String> s = new TreeSet<>();
    components().forEach(c -> s.addAll(c.scrapeJobs()));
    return Collections.unmodifiableSet(s);
  }

  /** Names of the components carrying any of {@code tags}. */
  public Set<String> tagged(Set<Tag> tags) {
    Set<String> s = new TreeSet<>();
    components().stream()
        .filter(c -> c.tags().stream().anyMatch(tags::contains))
        .forEach(c -> s.add(c.name()));
    return Collections.unmodifiableSet(s);
  }
}
