package dev.vigil.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The {@code vigil agent} daemon: an HTTP endpoint plus the services it was built with. Build
 * with {@link #builder()}, start with {@link Builder#buildAndStart()}, stop with {@link #close()}
 * (services close in reverse order, so the syslog gateway drains its journal last).
 */
public final class Agent implements Closeable {
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());

  private final List<AgentService> services;
  private final AgentHttpServer http;
  private final PrometheusRegistry registry;

  private Agent(List<AgentService> services, AgentHttpServer http, PrometheusRegistry registry) {
    this.services = services;
    this.http = http;
    this.registry = registry;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int getHttpPort() {
    return http.getPort();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public List<AgentService> services() {
    return List.copyOf(services);
  }

  private AgentHttpServer.Report healthReport(boolean readiness) {
    StringBuilder sb = new StringBuilder();
    boolean ok = true;
    for (AgentService s : services) {
      AgentService.Health h = s.health();
      boolean good = readiness ? h.ready() : h.alive();
      ok &= good;
      sb.append(s.name()).append(": ").append(good ? "ok" : "failing").append(" - ").append(h.detail()).append('\n');
    }
    return new AgentHttpServer.Report(ok, sb.length() == 0 ? "ok\n" : sb.toString());
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

    public Agent buildAndStart() throws Exception {
      Files.createDirectories(dataDir);
      List<AgentService> list = List.copyOf(services);
      Agent[] self = new Agent[1];
      AgentHttpServer http =
          AgentHttpServer.start(
              httpAddress,
              httpPort,
              registry,
              () -> self[0] == null ? new AgentHttpServer.Report(false, "starting\n") : self[0].healthReport(false),
              () -> self[0] == null ? new AgentHttpServer.Report(false, "starting\n") : self[0].healthReport(true));
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
      LOG.info("vigil agent started: http :" + http.getPort() + ", services " + list.stream().map(AgentService::name).toList());
      return self[0];
    }
  }
}
