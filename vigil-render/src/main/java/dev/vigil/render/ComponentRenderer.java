package dev.vigil.render;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.spec.model.Station;
import java.util.List;
import java.util.Map;

/**
 * Renders one stack component: its defaults first, then the spec's overrides, then the objects it
 * owns. Implementations are stateless; everything comes from the context.
 *
 * <p>Besides its own objects, a component plugs into the shared ones through three extension
 * points: the scrape jobs Prometheus runs for it, the rule files Prometheus loads for it, and the
 * dashboards Grafana provisions for it.
 */
public interface ComponentRenderer {
  /** Directory name under the output root, e.g. "prometheus". */
  String name();

  /** Whether the station deploys this component. */
  boolean enabled(Station station);

  /** The component's objects. */
  void render(RenderContext ctx, ComponentOutput out);

  /** Scrape jobs for Prometheus, each a prometheus.yml scrape_config as an ordered map. */
  default List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of();
  }

  /**
   * Prometheus rule files (file name → YAML). By default the readable resource
   * {@code rules/<name>.rules.yaml}, when there is one.
   */
  default Map<String, String> ruleFiles(RenderContext ctx) {
    return Rules.forComponent(name()).map(r -> Map.of(name() + ".rules.yaml", r)).orElse(Map.of());
  }

  /** Grafana dashboards this component brings. */
  default List<Dashboard> dashboards(RenderContext ctx) {
    return List.of();
  }
}
