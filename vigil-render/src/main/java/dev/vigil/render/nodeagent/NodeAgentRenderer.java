package dev.vigil.render.nodeagent;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node agent: {@code vigil agent --services time,power} as a systemd service on each node
 * (packaging/systemd/vigil-node-agent.service), outside Kubernetes because it sets the clock's
 * trust, suspends and wakes its host. It has no Kubernetes objects; Prometheus scrapes it as static
 * targets, one per node that runs it: every node when the time probe is on, the power nodes and the
 * controller when power management is.
 */
@AutoService(ComponentRenderer.class)
public final class NodeAgentRenderer implements ComponentRenderer {
  public static final String NAME = "node-agent";
  public static final String SCRAPE_JOB = "vigil-agent-host";

  /** The host agent's HTTP port (/metrics): {@code vigil agent}'s --http-port default. */
  public static final int HTTP_PORT = 9464;

  static final Component COMPONENT =
      Component.named(NAME).tags(Tag.TIME, Tag.POWER).scrapeJobs(SCRAPE_JOB).build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return !nodes(station).isEmpty();
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    // Nothing runs in the cluster; see the class comment.
  }

  /** One static target per node that runs the agent, labelled node and instance = its name. */
  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    List<Map<String, Object>> targets = new ArrayList<>();
    nodes(ctx.station())
        .forEach(
            (name, address) ->
                targets.add(
                    ordered(
                        "targets",
                        List.of(hostPort(address, HTTP_PORT)),
                        "labels",
                        ordered("node", name, "instance", name))));
    return List.of(ordered("job_name", SCRAPE_JOB, "static_configs", targets));
  }

  /** Node name → the address the agent is scraped at, in spec order. */
  public static Map<String, String> nodes(Station station) {
    Map<String, String> out = new LinkedHashMap<>();
    List<Node> nodes = station.nodes() == null ? List.of() : station.nodes();
    boolean timeProbe =
        station.time() != null && station.time().enabled() && station.time().probe().enabled();
    PowerSpec power = station.power();
    boolean powerOn = power != null && power.enabled();
    Map<String, PowerNodeSpec> configured =
        powerOn && power.nodes() != null ? power.nodes() : Map.of();
    for (Node n : nodes) {
      boolean powerNode =
          powerOn
              && (configured.isEmpty()
                  || configured.containsKey(n.name())
                  || n.name().equals(power.controller()));
      if (timeProbe || powerNode) {
        PowerNodeSpec p = configured.get(n.name());
        out.put(n.name(), p != null && p.address() != null ? p.address() : n.address().text());
      }
    }
    return out;
  }

  static String hostPort(String address, int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
