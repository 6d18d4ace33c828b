package dev.vigil.render;

import dev.vigil.render.alertmanager.AlertmanagerRenderer;
import dev.vigil.render.alloy.AlloyRenderer;
import dev.vigil.render.grafana.GrafanaRenderer;
import dev.vigil.render.ipmi.IpmiExporterRenderer;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.namespaces.NamespacesRenderer;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Renders a whole station: every enabled component, each by its own renderer. */
public final class StackRenderer {
  private final List<ComponentRenderer> renderers;

  public StackRenderer() {
    List<ComponentRenderer> components = new ArrayList<>(List.of(
        new NamespacesRenderer(),
        new AlertmanagerRenderer(),
        new GrafanaRenderer(),
        new LokiRenderer(),
        new AlloyRenderer(),
        new NodeExporterRenderer(),
        new KubeStateMetricsRenderer(),
        new IpmiExporterRenderer()));
    List<ComponentRenderer> all = new ArrayList<>(components);
    all.add(new PrometheusRenderer(all));
    this.renderers = List.copyOf(all);
  }

  public List<ComponentRenderer> renderers() {
    return renderers;
  }

  public RenderedStack render(Station station) {
    Set<String> enabled = new LinkedHashSet<>();
    List<ComponentRenderer> active = new ArrayList<>();
    for (ComponentRenderer r : renderers) {
      if (r.enabled(station)) {
        enabled.add(r.name());
        active.add(r);
      }
    }
    RenderContext ctx = new RenderContext(station, enabled);
    List<ComponentOutput> outputs = new ArrayList<>();
    for (ComponentRenderer r : active) {
      ComponentOutput out = new ComponentOutput(r.name());
      r.render(ctx, out);
      outputs.add(out);
    }
    return new RenderedStack(outputs);
  }
}
