package dev.vigil.render.grafana.dashboard;

import dev.vigil.render.grafana.dashboard.catalog.AlertsOverview;
import dev.vigil.render.grafana.dashboard.catalog.ClusterOverview;
import dev.vigil.render.grafana.dashboard.catalog.IpmiHardware;
import dev.vigil.render.grafana.dashboard.catalog.LokiLogs;
import dev.vigil.render.grafana.dashboard.catalog.NodeMetrics;
import dev.vigil.render.grafana.dashboard.catalog.PrometheusHealth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The dashboards Vigil provisions, chosen by the components a station enables. */
public final class Dashboards {
  /** Every dashboard definition; a new dashboard is one class plus one line here. */
  private static final List<DashboardDefinition> CATALOG =
      List.of(
          new ClusterOverview(),
          new NodeMetrics(),
          new PrometheusHealth(),
          new LokiLogs(),
          new AlertsOverview(),
          new IpmiHardware());

  private Dashboards() {}

  public static List<DashboardDefinition> catalog() {
    return CATALOG;
  }

  /**
   * The dashboards whose required components are all enabled, sorted by uid. Unknown component
   * names are ignored: the set may hold components that have no dashboard.
   */
  public static List<Dashboard> forComponents(Set<String> enabledComponents) {
    Objects.requireNonNull(enabledComponents, "enabledComponents");
    Set<String> enabled = Set.copyOf(enabledComponents);
    List<Dashboard> out = new ArrayList<>();
    Set<String> uids = new HashSet<>();
    for (DashboardDefinition def : CATALOG) {
      if (!enabled.containsAll(def.requires())) {
        continue;
      }
      Dashboard d = def.build(enabled);
      if (!d.uid().equals(def.uid())) {
        throw new IllegalStateException(
            def.getClass().getSimpleName()
                + " declares uid "
                + def.uid()
                + " but built "
                + d.uid());
      }
      if (!uids.add(d.uid())) {
        throw new IllegalStateException("two dashboards share the uid " + d.uid());
      }
      out.add(d);
    }
    out.sort(Comparator.comparing(Dashboard::uid));
    return List.copyOf(out);
  }
}
