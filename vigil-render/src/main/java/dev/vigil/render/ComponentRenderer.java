package dev.vigil.render;

import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.spec.model.Station;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one stack component: its defaults first, then the spec's overrides, then the objects it
 * owns. Implementations are stateless; everything comes from the context. A renderer is found by
 * {@link ComponentRegistry} (it carries {@code @AutoService(ComponentRenderer.class)}), so adding a
 * component means adding its renderer and its spec record, nothing else.
 *
 * <p>Besides its own objects, a component plugs into the shared ones through four extension points:
 * the scrape jobs Prometheus runs for it, the rule files Prometheus loads for it, the dashboards
 * Grafana provisions for it, and the datasources it offers Grafana. Each is a function of the
 * station alone, never of another renderer's output, so render order does not matter.
 */
public interface ComponentRenderer {
  /** The component's facts, declared once. */
  Component component();

  /** The component's name: its directory under the output root. */
  default String name() {
    return component().name();
  }

  /** Whether the station deploys this component. */
  boolean enabled(Station station);

  /** The component's objects. */
  void render(RenderContext ctx, ComponentOutput out);

  /**
   * Scrape jobs for Prometheus, each a prometheus.yml scrape_config as an ordered map, named as
   * {@link Component#scrapeJobs()} declares.
   */
  default List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of();
  }

  /**
   * Prometheus rule files (file name → YAML). By default each file {@link Component#ruleFiles()}
   * declares, read from the renderer's own package, where its promtool tests live beside it.
   */
  default Map<String, String> ruleFiles(RenderContext ctx) {
    Map<String, String> files = new TreeMap<>();
    for (String file : component().ruleFiles()) {
      try (InputStream in = getClass().getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException(
              name()
                  + " declares rule file "
                  + file
                  + " but "
                  + getClass().getPackageName().replace('.', '/')
                  + "/"
                  + file
                  + " is not in the build");
        }
        files.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /**
   * Grafana dashboards this component brings. By default the catalog dashboards it declares whose
   * required components are all enabled.
   */
  default List<Dashboard> dashboards(RenderContext ctx) {
    List<Dashboard> out = new ArrayList<>();
    for (DashboardDefinition def : component().catalog()) {
      if (ctx.enabledComponents().containsAll(def.requires())) {
        Dashboard d = def.build(ctx.enabledComponents());
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
    return out;
  }

  /** Datasources it offers Grafana, one per {@link Component#datasources()} entry. */
  default List<ProvisionedDatasource> datasources(RenderContext ctx) {
    return List.of();
  }
}
