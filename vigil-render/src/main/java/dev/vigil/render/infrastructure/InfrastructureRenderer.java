package dev.vigil.render.infrastructure;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.namespaces.NamespacesRenderer;
import dev.vigil.spec.model.Station;

/**
 * The infrastructure namespace shared by chrony and the syslog gateway. Pod Security enforces
 * "privileged" there because chrony sets the host clock (SYS_TIME, host network); it still warns
 * and audits at "baseline", so anything else that needs host access shows up in the audit log. A
 * component of its own, so the namespace exists whether chrony, the gateway or both are on.
 */
@AutoService(ComponentRenderer.class)
public final class InfrastructureRenderer implements ComponentRenderer {
  public static final String NAME = "infrastructure";

  static final Component COMPONENT = Component.named(NAME).tags(Tag.INFRASTRUCTURE).build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return (station.time() != null && station.time().enabled())
        || (station.syslog() != null && station.syslog().enabled());
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    out.add(
        NamespacesRenderer.namespace(
            ctx, ctx.station().cluster().infraNamespace(), "privileged", "baseline"));
  }
}
