package dev.vigil.power;

import dev.vigil.base.NamedThreads;
import dev.vigil.http.HttpServer;
import dev.vigil.http.Listener;
import dev.vigil.http.Routes;
import dev.vigil.power.api.BearerToken;
import dev.vigil.power.api.PowerControl;
import dev.vigil.power.api.PowerRoutes;
import dev.vigil.power.check.ActivityCheck;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The power manager service run by {@code vigil agent}: composes the roles this agent plays.
 *
 * <p>On a sleepable node's own agent a {@link SleepingNode} runs the activity checks and, through
 * its {@link SleepAction}, puts the node to sleep. On the controller the {@link WakeController}
 * watches the other nodes and wakes them; on every agent it takes explicit wake requests. Both
 * roles serve their state over HTTP ({@link PowerRoutes}).
 */
public final class PowerManager implements PowerControl, Closeable {
  private static final Logger LOG = Logger.getLogger(PowerManager.class.getName());

  /** A node as the station spec describes it. */
  public record Node(String name, String address, String mac) {
    public Node {
      Objects.requireNonNull(name, "name");
    }
  }

  private final PowerSpec spec;
  private final String localNode;
  private final PowerMetrics metrics;
  private final Map<String, ManagedNode> nodes = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final WakeController wake;
  private final SleepingNode sleeping;
  private final boolean controller;
  private final PowerRoutes routes;
  private final KubernetesClient kubernetes;
  private final boolean ownsKubernetes;
  private final Consumer<String> decide;
  private final String apiAddress;
  private final int apiPort;
  private HttpServer api;

  private PowerManager(Builder b) {
    this.spec = Objects.requireNonNull(b.spec, "spec");
    this.localNode = b.localNode;
    this.controller = localNode != null && localNode.equals(spec.controller());
    this.kubernetes = b.kubernetes;
    this.ownsKubernetes = b.ownsKubernetes;
    this.metrics = new PowerMetrics(b.registry);
    List<Consumer<String>> listeners = b.log == null ? List.of() : List.of(b.log);
    this.decide =
        line -> {
          LOG.info(line);
          listeners.forEach(c -> c.accept(line));
        };
    PowerContext context = new PowerContext(spec.dryRun(), kubernetes, b.clock, metrics, decide);
    Map<String, Node> byName = new HashMap<>();
    for (Node n : b.nodes) {
      byName.put(n.name(), n);
    }
    Map<String, PowerNodeSpec> specNodes = spec.nodes() == null ? Map.of() : spec.nodes();
    for (Map.Entry<String, PowerNodeSpec> e : specNodes.entrySet()) {
      ManagedNode n = ManagedNode.of(e.getKey(), e.getValue(), byName.get(e.getKey()), b.env);
      nodes.put(n.name, n);
      metrics.sleepable.labelValues(n.name).set(n.spec.sleepable() ? 1 : 0);
      metrics.state(n.name, n.state);
    }
    this.wake =
        new WakeController(
            nodes,
            localNode,
            PowerDefaults.wake(spec),
            spec.prometheusUrl(),
            b.procNet,
            b.wakeAction,
            context);
    ManagedNode self = localNode == null ? null : nodes.get(localNode);
    if (self != null && self.spec.sleepable()) {
      SleepAction action =
          new SleepAction(
              self.name,
              PowerDefaults.sleep(self.spec),
              PowerDefaults.idle(self.spec).interval(),
              context);
      this.sleeping =
          new SleepingNode(
              self, PowerDefaults.idle(self.spec), b.checks.apply(self), action, metrics, b.clock);
    } else {
      this.sleeping = null;
    }
    this.routes = new PowerRoutes(this, BearerToken.of(b.token));
    this.apiAddress = b.apiAddress;
    this.apiPort = b.apiPort;
    this.scheduler = Executors.newScheduledThreadPool(2, NamedThreads.daemon("vigil-power"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; {@link #buildAndStart()} starts the schedule and the HTTP API. */
  public static final class Builder {
    private PowerSpec spec;
    private List<Node> nodes = List.of();
    private String localNode;
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private MonotonicClock clock = MonotonicClock.SYSTEM;
    private Map<String, String> env = System.getenv();
    private KubernetesClient kubernetes;
    private boolean ownsKubernetes;
    private WakeCoordinator.WakeAction wakeAction;
    private String apiAddress;
    private Integer apiPort;
    private boolean apiServer = true;
    private Optional<String> token;
    private Path procNet = Path.of("/proc/net");
    private Optional<Path> inotifyWait = WakeSender.findTool("inotifywait");
    private Consumer<String> log;
    private boolean schedule = true;
    private Function<ManagedNode, List<ActivityCheck>> checks;

    public Builder spec(PowerSpec spec) {
      this.spec = spec;
      return this;
    }

    public Builder nodes(List<Node> nodes) {
      this.nodes = List.copyOf(nodes);
      return this;
    }

    /** Name of the node this agent runs on. */
    public Builder localNode(String name) {
      this.localNode = name;
      return this;
    }

    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder clock(MonotonicClock clock) {
      this.clock = clock;
      return this;
    }

    /** Environment used to resolve {@code env:} secret references. */
    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    public Builder kubernetes(KubernetesClient client) {
      this.kubernetes = client;
      return this;
    }

    /** Replaces sending and verifying (embedding, tests); the default sends real packets. */
    public Builder wakeAction(WakeCoordinator.WakeAction action) {
      this.wakeAction = action;
      return this;
    }

    /** Overrides the API listen address and port from the spec (0 = any free port). */
    public Builder api(String address, int port) {
      this.apiAddress = address;
      this.apiPort = port;
      return this;
    }

    /**
     * false: no HTTP server of its own; the embedding agent binds {@link
     * PowerManager#apiListener()} on its server instead. true (the default): the manager starts a
     * vigil-http server with that one listener, as a manager running alone (or a test) needs.
     */
    public Builder apiServer(boolean serve) {
      this.apiServer = serve;
      return this;
    }

    /** Root of the TCP tables ({@code /proc/net}). */
    public Builder procNet(Path procNet) {
      this.procNet = procNet;
      return this;
    }

    /** {@code Optional.empty()} forces the polling fallback for watched paths. */
    public Builder inotifyWait(Optional<Path> inotifyWait) {
      this.inotifyWait = inotifyWait;
      return this;
    }

    /**
     * The spec and nodes of a station. The spec's nodes give names, addresses and MACs; the power
     * section may override MAC and address per node.
     */
    public Builder station(dev.vigil.spec.model.Station station) {
      this.spec = station.power();
      List<Node> list = new ArrayList<>();
      if (station.nodes() != null) {
        for (dev.vigil.spec.model.Node n : station.nodes()) {
          list.add(
              new Node(
                  n.name(),
                  n.address() == null ? null : n.address().text(),
                  n.mac() == null ? null : n.mac().text()));
        }
      }
      this.nodes = List.copyOf(list);
      return this;
    }

    /**
     * false: no background rounds; the embedding code (or a test with its own clock) calls {@link
     * PowerManager#localTick()} and {@link PowerManager#controllerTick()}.
     */
    public Builder schedule(boolean schedule) {
      this.schedule = schedule;
      return this;
    }

    /** Receives every decision as one line, in addition to the logger. */
    public Builder decisionLog(Consumer<String> log) {
      this.log = log;
      return this;
    }

    public PowerManager buildAndStart() throws IOException {
      if (spec == null) {
        throw new IllegalArgumentException("power manager needs the power spec");
      }
      if (token == null) {
        token = spec.api() == null ? Optional.empty() : Secrets.resolve(spec.api().token(), env);
      }
      if (apiPort == null) {
        apiAddress = spec.api() == null ? "127.0.0.1" : spec.api().address();
        apiPort = spec.api() == null ? 9797 : spec.api().port();
      }
      if (kubernetes == null) {
        kubernetes = KubernetesAccess.fromSpec(spec.kubeconfig(), env).orElse(null);
        ownsKubernetes = kubernetes != null;
      }
      if (checks == null) {
        checks =
            n ->
                Checks.fromSpec(
                    n.name,
                    PowerDefaults.idle(n.spec),
                    spec.prometheusUrl(),
                    kubernetes,
                    procNet,
                    clock);
      }
      PowerManager m = new PowerManager(this);
      try {
        m.start(schedule, inotifyWait, apiServer);
      } catch (IOException | RuntimeException e) {
        m.close();
        throw e;
      }
      return m;
    }
  }

  private void start(boolean schedule, Optional<Path> inotifyWait, boolean apiServer)
      throws IOException {
    if (apiServer) {
      api = HttpServer.builder().listener(apiListener()).buildAndStart();
    }
    if (sleeping != null) {
      if (schedule) {
        scheduler.scheduleWithFixedDelay(
            this::safeLocalTick, 0, sleeping.interval().toMillis(), TimeUnit.MILLISECONDS);
      }
      decide.accept(sleeping.describe());
    }
    if (controller) {
      Duration every = wake.watch(inotifyWait);
      if (schedule) {
        scheduler.scheduleWithFixedDelay(
            this::safeControllerTick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
      }
      decide.accept(wake.describe());
    }
  }

  private void safeLocalTick() {
    try {
      localTick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "power check round failed", e);
    }
  }

  private void safeControllerTick() {
    try {
      controllerTick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "power controller round failed", e);
    }
  }

  /** One round of checks on this node. Public so an embedding agent can drive it. */
  public void localTick() {
    if (sleeping != null) {
      sleeping.tick();
    }
  }

  /** One round of state probes and trigger scans. Public so an embedding agent can drive it. */
  public void controllerTick() {
    wake.tick();
  }

  /** Ports currently held for a sleeping node (for status and tests). */
  public List<Integer> heldPorts(String node) {
    return wake.heldPorts(node);
  }

  /** The hook the syslog gateway feeds with each message text. */
  public Consumer<String> syslogHook() {
    return wake.syslogHook();
  }

  /**
   * Requests a wake. Triggers fire only while the node is seen asleep; an explicit request (API,
   * CLI) always goes through the coordinator.
   */
  @Override
  public WakeCoordinator.Admission requestWake(String node, String reason) {
    return wake.request(node, reason);
  }

  @Override
  public Duration retryAfter(String node) {
    return wake.retryAfter(node);
  }

  @Override
  public PowerStatus status() {
    List<PowerStatus.NodeStatus> out = new ArrayList<>();
    for (ManagedNode n : nodes.values()) {
      ManagedNode.View view =
          sleeping != null && sleeping.node() == n
              ? ManagedNode.View.THIS_NODE_SLEEPING_ROLE
              : n.name.equals(localNode) ? ManagedNode.View.THIS_NODE : ManagedNode.View.OTHER_NODE;
      out.add(n.status(view));
    }
    return new PowerStatus(localNode, spec.controller(), spec.dryRun(), out);
  }

  /** The HTTP API's request handling, for a server other than the manager's own. */
  public Routes routes() {
    return routes;
  }

  /**
   * The power API's listener at {@code power.api.address:port} (or the builder's override), for the
   * server that serves it.
   */
  public Listener apiListener() {
    return PowerApi.listener(routes, apiAddress, apiPort);
  }

  /** Port of the manager's own API server, -1 without one. */
  public int getPort() {
    return api == null ? -1 : api.getPort();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    wake.close();
    if (api != null) {
      api.close();
    }
    metrics.unregister();
    if (ownsKubernetes) {
      kubernetes.close();
    }
  }
}
