package dev.vigil.render;

import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;

/** Renders a whole station: every enabled component, each by its own renderer. */
public final class StackRenderer {
  private final ComponentRegistry registry;

  public StackRenderer() {
    this(ComponentRegistry.load());
  }

  public StackRenderer(ComponentRegistry registry) {
    this.registry = registry;
  }

  public List<ComponentRenderer> renderers() {
    return registry.renderers();
  }

  public RenderedStack render(Station station) {
    List<ComponentRenderer> active = new ArrayList<>();
    for (ComponentRenderer r : registry.renderers()) {
      if (r.enabled(station)) {
        active.add(r);
      }
    }
    RenderContext ctx = new RenderContext(station, active);
    List<ComponentOutput> outputs = new ArrayList<>();
    for (ComponentRenderer r : active) {
      ComponentOutput out = new ComponentOutput(r.name());
      r.render(ctx, out);
      outputs.add(out);
    }
    return new RenderedStack(outputs, ctx.contributions());
  }
}
