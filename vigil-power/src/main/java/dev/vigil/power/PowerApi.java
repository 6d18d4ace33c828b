package dev.vigil.power;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.power.api.ApiRequest;
import dev.vigil.power.api.ApiResponse;
import dev.vigil.power.api.ApiRoutes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@link ApiRoutes} and {@code GET /healthz} on the JDK's HTTP server. Only plumbing: the
 * routes decide everything about a request.
 *
 * <p>This server has no read timeout: a client that sends part of a request holds one of its two
 * threads until it disconnects. The agent is to serve the routes from its own server instead.
 */
final class PowerApi implements Closeable {
  private static final Logger LOG = Logger.getLogger(PowerApi.class.getName());

  /** The routes take no bodies larger than this; more is refused before it is read. */
  static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;

  private PowerApi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * @param address an IP literal (checked by the spec at load), so binding resolves nothing
   */
  static PowerApi start(ApiRoutes routes, String address, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    for (String prefix : routes.pathPrefixes()) {
      server.createContext(prefix, ex -> serve(routes, ex));
    }
    server.createContext(
        "/healthz", ex -> write(ex, ApiResponse.json(200, Map.of("status", "ok"))));
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-power-api");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new PowerApi(server, executor);
  }

  private static void serve(ApiRoutes routes, HttpExchange ex) throws IOException {
    try {
      byte[] body = readBody(ex);
      ApiResponse response;
      if (body == null) {
        response =
            ApiResponse.json(413, Map.of("error", "body larger than " + MAX_BODY + " bytes"));
      } else {
        response =
            routes.handle(
                new ApiRequest(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    ex.getRequestHeaders(),
                    body,
                    ex.getRemoteAddress().getAddress().getHostAddress()));
      }
      write(ex, response);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "power API request failed", e);
      write(ex, ApiResponse.json(500, Map.of("error", "internal error")));
    }
  }

  /** The body, or null when it is longer than {@link #MAX_BODY}. */
  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      return b.length > MAX_BODY ? null : b;
    }
  }

  private static void write(HttpExchange ex, ApiResponse r) throws IOException {
    r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(r.body());
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
