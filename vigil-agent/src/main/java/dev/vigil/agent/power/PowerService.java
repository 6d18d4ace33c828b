package dev.vigil.agent.power;

import dev.vigil.agent.AgentContext;
import dev.vigil.agent.AgentService;
import dev.vigil.power.PowerManager;
import dev.vigil.spec.model.Station;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The power manager of {@code vigil agent}: idle detection and the sleep action on a sleepable
 * node, wake triggers on the controller, the power API ({@code vigil power status}) on both. The
 * API is a listener of the agent's HTTP server at {@code power.api.address:port}.
 */
public final class PowerService implements AgentService {
  private static final Logger LOG = Logger.getLogger(PowerService.class.getName());

  private final Station station;
  private final String localNode;
  private final String apiAddress;
  private final int apiPort;
  private volatile PowerManager manager;
  private volatile int boundPort = -1;

  /**
   * @param localNode this host's node name, or null when it is none of the spec's nodes (then the
   *     manager only serves its API)
   * @param apiAddress overrides {@code power.api.address} when not null, with {@code apiPort} (0
   *     picks a free port)
   */
  public PowerService(Station station, String localNode, String apiAddress, int apiPort) {
    this.station = station;
    this.localNode = localNode;
    this.apiAddress = apiAddress;
    this.apiPort = apiPort;
  }

  @Override
  public String name() {
    return "power";
  }

  @Override
  public void start(AgentContext ctx) throws Exception {
    PowerManager.Builder b =
        PowerManager.builder()
            .station(station)
            .localNode(localNode)
            .registry(ctx.registry())
            .apiServer(false);
    if (apiAddress != null) {
      b.api(apiAddress, apiPort);
    }
    PowerManager m = b.buildAndStart();
    try {
      boundPort = ctx.http().listen(m.apiListener());
    } catch (Exception e) {
      m.close();
      throw e;
    }
    manager = m;
  }

  /**
   * The syslog gateway's hook into the wake triggers: each received message, as text, is matched
   * against the nodes' {@code triggers.syslogPatterns}. Messages that arrive before the manager
   * runs are not matched (there is no node state to act on yet).
   */
  public Consumer<String> syslogHook() {
    return line -> {
      PowerManager m = manager;
      if (m != null) {
        try {
          m.syslogHook().accept(line);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "syslog wake trigger failed: " + e.getMessage(), e);
        }
      }
    };
  }

  /** Port of the power API, once started. */
  public int apiPort() {
    return boundPort;
  }

  public PowerManager manager() {
    return manager;
  }

  @Override
  public Health health() {
    PowerManager m = manager;
    if (m == null) {
      return new Health(true, false, "starting");
    }
    var s = m.status();
    String role =
        localNode == null
            ? "no local node"
            : localNode.equals(s.controller()) ? "controller on " + localNode : "node " + localNode;
    return Health.ok(role + (s.dryRun() ? ", dry-run" : "") + ", api :" + boundPort);
  }

  @Override
  public void close() {
    PowerManager m = manager;
    if (m != null) {
      m.close();
    }
  }
}
