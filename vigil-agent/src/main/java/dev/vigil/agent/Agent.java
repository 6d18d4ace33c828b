package dev.vigil.agent;

import dev.vigil.http.HttpServer;
import dev.vigil.http.Limits;
import dev.vigil.http.Listener;
import dev.vigil.http.MetricsRoutes;
import dev.vigil.http.Response;
import dev.vigil.http.Routes;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The {@code vigil agent} daemon: one HTTP server plus the services it was built with. Build with
 * {@link #builder()}, start with {@link Builder#buildAndStart()}, stop with {@link #close()}
 * (services close in reverse order, so the syslog gateway drains its journal last).
 *
 * <p>The HTTP server's first listener, {@value #LISTENER}, serves {@code /metrics} (the registry,
 * JVM and process metrics included), {@code /healthz} and {@code /readyz}; services bind their own
 * listeners on the same server (the power API).
 */
public final class Agent implements Closeable {
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());

  /** Name of the listener of /metrics, /healthz and /readyz. */
  public static final String LISTENER = "agent";

  /** A health report: HTTP 200 when ok, else 503, with a text body. */
  record Report(boolean ok, String body) {
    Response response() {
      return Response.text(ok ? 200 : 503, body);
    }
  }

  private final List<AgentService> services;
  private final HttpServer http;
  private final PrometheusRegistry registry;

  private Agent(List<AgentService> services, HttpServer http, PrometheusRegistry registry) {
    this.services = services;
    this.http = http;
    this.registry = registry;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int getHttpPort() {
    return http.port(LISTENER);
  }

  /** The agent's HTTP server, with every listener bound on it. */
  public HttpServer http() {
    return http;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public List<AgentService> services() {
    return List.copyOf(services);
  }

  private Report healthReport(boolean readiness) {
    StringBuilder sb = new StringBuilder();
    boolean ok = true;
    for (AgentService s : services) {
      AgentService.Health h = s.health();
      boolean good = readiness ? h.ready() : h.alive();
      ok &= good;
      sb.append(s.name())
          .append(": ")
          .append(good ? "ok" : "failing")
          .append(" - ")
          .append(h.detail())
          .append('\n');
    }
    return new Report(ok, sb.length() == 0 ? "ok\n" : sb.toString());
  }

  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (RuntimeException e) {
        LOG.warning("closing " + services.get(i).name() + ": " + e.getMessage());
      }
    }
    http.close();
  }

  /** Configuration of an agent; validated when built. */
  public static final class Builder {
    private final List<AgentService> services = new ArrayList<>();
    private String httpAddress = "0.0.0.0";
    private int httpPort = 9464;
    private Path dataDir = Path.of("/var/lib/vigil");
    private PrometheusRegistry registry = new PrometheusRegistry();
    private boolean jvmMetrics = true;
    private Limits httpLimits = Limits.defaults();

    public Builder service(AgentService s) {
      services.add(s);
      return this;
    }

    public Builder httpAddress(String a) {
      this.httpAddress = a;
      return this;
    }

    /** HTTP port for metrics and health; 0 picks a free one ({@link Agent#getHttpPort()}). */
    public Builder httpPort(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("httpPort must be 0..65535, got " + p);
      }
      this.httpPort = p;
      return this;
    }

    public Builder dataDir(Path d) {
      this.dataDir = d;
      return this;
    }

    public Builder registry(PrometheusRegistry r) {
      this.registry = r;
      return this;
    }

    /** Whether the registry gets the client library's JVM and process metrics (default yes). */
    public Builder jvmMetrics(boolean register) {
      this.jvmMetrics = register;
      return this;
    }

    /** Limits of the metrics and health listener (default {@link Limits#defaults()}). */
    public Builder httpLimits(Limits l) {
      this.httpLimits = l;
      return this;
    }

    public Agent buildAndStart() throws Exception {
      Files.createDirectories(dataDir);
      List<AgentService> list = List.copyOf(services);
      Agent[] self = new Agent[1];
      if (jvmMetrics) {
        JvmMetrics.builder().register(registry);
      }
      Report starting = new Report(false, "starting\n");
      Routes health =
          Routes.of(
              "/healthz",
              false,
              r -> (self[0] == null ? starting : self[0].healthReport(false)).response());
      Routes ready =
          Routes.of(
              "/readyz",
              false,
              r -> (self[0] == null ? starting : self[0].healthReport(true)).response());
      // Health is answered on the event loop: services' health() reads state, never waits.
      HttpServer http =
          HttpServer.builder()
              .registry(registry)
              .listener(
                  new Listener(
                      LISTENER,
                      httpAddress,
                      httpPort,
                      List.of(new MetricsRoutes(registry), health, ready),
                      httpLimits))
              .buildAndStart();
      AgentContext ctx = new AgentContext(registry, http, dataDir);
      List<AgentService> started = new ArrayList<>();
      try {
        for (AgentService s : list) {
          try {
            s.start(ctx);
          } catch (Exception e) {
            // A half-started service may hold threads or files; it closes what it opened.
            s.close();
            throw e;
          }
          started.add(s);
        }
      } catch (Exception e) {
        for (int i = started.size() - 1; i >= 0; i--) {
          started.get(i).close();
        }
        http.close();
        throw e;
      }
      self[0] = new Agent(list, http, registry);
      LOG.info(
          "vigil agent started: http :"
              + http.port(LISTENER)
              + ", services "
              + list.stream().map(AgentService::name).toList());
      return self[0];
    }
  }
}
