package dev.vigil.render.power;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.spec.model.Station;
import java.util.List;

/**
 * Power management in the rendered stack. The power manager runs in {@code vigil agent} as a
 * systemd service on the nodes themselves (it suspends and wakes them), so this component has no
 * Kubernetes objects: it adds the alert rules and the "Power" dashboard; the node agent component
 * scrapes the agents.
 */
@AutoService(ComponentRenderer.class)
public final class PowerRenderer implements ComponentRenderer {
  public static final String NAME = "power";
  static final Component COMPONENT =
      Component.named(NAME)
          .tags(Tag.POWER)
          .ruleFiles("power.rules.yaml")
          .dashboardUids(PowerDashboard.UID)
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.power() != null && station.power().enabled();
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    // Nothing runs in the cluster; see the class comment.
  }

  @Override
  public List<Dashboard> dashboards(RenderContext ctx) {
    return List.of(PowerDashboard.build());
  }
}
