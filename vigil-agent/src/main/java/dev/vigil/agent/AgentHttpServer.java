package dev.vigil.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /healthz}, {@code
 * /readyz}, and whatever routes services add with {@link #route}.
 */
public final class AgentHttpServer implements Closeable {
  /** A health report: HTTP 200 when ok, else 503, with a text body. */
  public record Report(boolean ok, String body) {}

  private final HttpServer server;
  private final ExecutorService executor;

  private AgentHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static AgentHttpServer start(
      String address,
      int port,
      PrometheusRegistry registry,
      Supplier<Report> health,
      Supplier<Report> ready)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-agent-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    AgentHttpServer s = new AgentHttpServer(server, executor);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    s.route(
        "/metrics",
        ex -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          writer.write(out, registry.scrape());
          respond(ex, 200, writer.getContentType(), out.toByteArray());
        });
    s.route("/healthz", ex -> report(ex, health.get()));
    s.route("/readyz", ex -> report(ex, ready.get()));
    server.start();
    return s;
  }

  /** Adds a route; {@code path} is a prefix as in {@link HttpServer#createContext}. */
  public void route(String path, HttpHandler handler) {
    server.createContext(
        path,
        ex -> {
          try (ex) {
            handler.handle(ex);
          } catch (IOException | RuntimeException e) {
            respond(ex, 500, "text/plain", ("internal error: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
          }
        });
  }

  private static void report(HttpExchange ex, Report r) throws IOException {
    respond(ex, r.ok() ? 200 : 503, "text/plain; charset=utf-8", r.body().getBytes(StandardCharsets.UTF_8));
  }

  public static void respond(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  public int getPort() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
