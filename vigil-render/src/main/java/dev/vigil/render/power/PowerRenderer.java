package dev.vigil.render.power;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.Tag;
import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Power management in the rendered stack. The power manager runs in {@code vigil agent} as a
 * systemd service on the nodes themselves (it suspends and wakes them), so this component has no
 * Kubernetes objects: it adds the alert rules, the "Power" dashboard and a scrape job with the host
 * agents as static targets.
 */
@AutoService(ComponentRenderer.class)
public final class PowerRenderer implements ComponentRenderer {
  public static final String NAME = "power";
  public static final String SCRAPE_JOB = "vigil-agent-host";

  static final Component COMPONENT =
      Component.named(NAME)
          .tags(Tag.POWER)
          .scrapeJobs(SCRAPE_JOB)
          .ruleFiles("power.rules.yaml")
          .dashboardUids(PowerDashboard.UID)
          .build();

  /** The host agent's HTTP port (/metrics): {@code vigil agent}'s --http-port default. */
  public static final int AGENT_HTTP_PORT = 9464;

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

  /**
   * One static target per host agent: the controller and every node with power settings; when the
   * spec lists no power nodes, every node. Each carries {@code node} and {@code instance} = the
   * node name, like the per-node exporters.
   */
  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    List<Map<String, Object>> targets = new ArrayList<>();
    for (Node n : agentNodes(ctx.station())) {
      targets.add(
          ordered(
              "targets", List.of(hostPort(address(ctx.station().power(), n), AGENT_HTTP_PORT)),
              "labels", ordered("node", n.name(), "instance", n.name())));
    }
    if (targets.isEmpty()) {
      return List.of();
    }
    return List.of(ordered("job_name", SCRAPE_JOB, "static_configs", targets));
  }

  static List<Node> agentNodes(Station station) {
    PowerSpec power = station.power();
    List<Node> nodes = station.nodes() == null ? List.of() : station.nodes();
    Map<String, PowerNodeSpec> configured = power.nodes() == null ? Map.of() : power.nodes();
    if (configured.isEmpty()) {
      return nodes;
    }
    return nodes.stream()
        .filter(n -> configured.containsKey(n.name()) || n.name().equals(power.controller()))
        .toList();
  }

  /** The node's power address override, else its spec address. */
  static String address(PowerSpec power, Node n) {
    PowerNodeSpec p = power.nodes() == null ? null : power.nodes().get(n.name());
    return p != null && p.address() != null ? p.address() : n.address().text();
  }

  static String hostPort(String address, int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
