package dev.vigil.render;

import dev.vigil.spec.model.Station;
import java.util.List;
import java.util.Map;

/**
 * Renders one stack component: its defaults first, then the spec's overrides, then the objects it
 * owns. Implementations are stateless; everything comes from the context.
 */
public interface ComponentRenderer {
  /** Directory name under the output root, e.g. "prometheus". */
  String name();

  /** Whether the station deploys this component. */
  boolean enabled(Station station);

  /**
   * Scrape jobs this component asks Prometheus to run (each a prometheus.yml scrape_config as
   * an ordered map). This is how exporters and the agent plug into Prometheus.
   */
  default List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of();
  }

  /** The component's objects and rule files. */
  void render(RenderContext ctx, ComponentOutput out);
}
