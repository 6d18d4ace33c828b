package dev.vigil.render.grafana.dashboard;

import dev.vigil.render.Component;
import dev.vigil.render.ComponentRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The catalog dashboards of every component, as each component's declaration lists them; a new
 * dashboard is one class beside its component's renderer plus one entry in that declaration.
 */
public final class Dashboards {
  private Dashboards() {}

  /** Every catalog dashboard definition, by uid. */
  public static List<DashboardDefinition> catalog() {
    List<DashboardDefinition> all = new ArrayList<>();
    for (Component c : ComponentRegistry.load().components()) {
      all.addAll(c.catalog());
    }
    all.sort(Comparator.comparing(DashboardDefinition::uid));
    return List.copyOf(all);
  }

  /**
   * The catalog dashboards whose required components are all enabled, built and sorted by uid.
   * Unknown component names are ignored: the set may hold components that have no dashboard.
   */
  public static List<Dashboard> forComponents(Set<String> enabledComponents) {
    Objects.requireNonNull(enabledComponents, "enabledComponents");
    Set<String> enabled = Set.copyOf(enabledComponents);
    List<Dashboard> out = new ArrayList<>();
    for (DashboardDefinition def : catalog()) {
      if (enabled.containsAll(def.requires())) {
        Dashboard d = def.build(enabled);
        if (!d.uid().equals(def.uid())) {
          throw new IllegalStateException(
              def.getClass().getSimpleName()
                  + " declares uid "
                  + def.uid()
                  + " but built "
                  + d.uid());
        }
        out.add(d);
      }
    }
    return List.copyOf(out);
  }
}
