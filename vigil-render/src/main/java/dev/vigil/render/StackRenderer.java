package dev.vigil.render;

import dev.vigil.render.agent.InfrastructureRenderer;
import dev.vigil.render.agent.PowerRenderer;
import dev.vigil.render.alertmanager.AlertmanagerRenderer;
import dev.vigil.render.chrony.ChronyRenderer;
import dev.vigil.render.alloy.AlloyRenderer;
import dev.vigil.render.grafana.GrafanaRenderer;
import dev.vigil.render.ipmi.IpmiExporterRenderer;
import dev.vigil.render.ksm.KubeStateMetricsRenderer;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.namespaces.NamespacesRenderer;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.syslog.SyslogGatewayRenderer;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;

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
        new IpmiExporterRenderer(),
        new InfrastructureRenderer(),
        new ChronyRenderer(),
        new SyslogGatewayRenderer(),
        new PowerRenderer()));
    components.add(new PrometheusRenderer());
    this.renderers = List.copyOf(components);
  }

  public List<ComponentRenderer> renderers() {
    return renderers;
  }

  public RenderedStack render(Station station) {
    List<ComponentRenderer> active = new ArrayList<>();
    for (ComponentRenderer r : renderers) {
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
    return new RenderedStack(outputs);
  }
}
