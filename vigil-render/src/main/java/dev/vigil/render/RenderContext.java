package dev.vigil.render;

import dev.vigil.spec.model.Components;
import dev.vigil.spec.model.Profile;
import dev.vigil.spec.model.Station;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The station being rendered, plus facts derived from it that several renderers need. */
public final class RenderContext {
  private final Station station;
  private final Set<String> enabled;
  private final List<ComponentRenderer> active;
  private Contributions contributions;

  public RenderContext(Station station, List<ComponentRenderer> activeRenderers) {
    this.station = station;
    this.active = List.copyOf(activeRenderers);
    Set<String> names = new TreeSet<>();
    activeRenderers.forEach(r -> names.add(r.name()));
    this.enabled = Collections.unmodifiableSet(names);
  }

  /** The renderers of every enabled component, in render order. */
  public List<ComponentRenderer> renderers() {
    return active;
  }

  /** What the enabled components bring to Prometheus and Grafana; computed once. */
  public synchronized Contributions contributions() {
    if (contributions == null) {
      contributions = new Contributions(this);
    }
    return contributions;
  }

  /** Rule files of every enabled component, by file name. */
  public Map<String, String> ruleFiles() {
    return contributions().allRuleFiles();
  }

  public Station station() {
    return station;
  }

  public Components components() {
    return station.components();
  }

  /** Namespace of the central stack (Prometheus, Grafana, Loki, ...): Pod Security "restricted". */
  public String namespace() {
    return station.cluster().namespace();
  }

  /**
   * Namespace of the per-node agents that need host access (node-exporter, Alloy, IPMI exporter):
   * Pod Security "privileged", so the central namespace can stay "restricted".
   */
  public String agentsNamespace() {
    return station.cluster().namespace() + "-agents";
  }

  /** Value of app.kubernetes.io/instance on every object. */
  public String instance() {
    return station.cluster().name();
  }

  public boolean production() {
    return station.profile() == Profile.PRODUCTION;
  }

  public boolean isEnabled(String component) {
    return enabled.contains(component);
  }

  public Set<String> enabledComponents() {
    return enabled;
  }

  /**
   * The image to run: the spec's {@code images.<name>}, else the component's own override (its
   * {@code components.<c>.image}, for its main image), else the pinned default.
   */
  public String image(Component component, String imageName, String componentOverride) {
    Map<String, String> byName = station.images();
    if (byName != null && byName.containsKey(imageName)) {
      return byName.get(imageName);
    }
    return componentOverride != null ? componentOverride : component.imageReference(imageName);
  }

  /** In-cluster DNS name of a Service in the stack namespace. */
  public String serviceHost(String service) {
    return service + "." + namespace() + ".svc." + station.cluster().domain();
  }
}
