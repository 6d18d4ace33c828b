package dev.vigil.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP API of the power manager: {@code GET /api/v1/power/status}, {@code POST
 * /api/v1/nodes/{name}/wake} (bearer token), {@code GET /healthz}.
 */
final class PowerApi implements Closeable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern WAKE =
      Pattern.compile("^/api/v1/nodes/([A-Za-z0-9._-]{1,253})/wake$");

  private final HttpServer server;

  private PowerApi(HttpServer server) {
    this.server = server;
  }

  static PowerApi start(PowerManager manager, String address, int port, Optional<String> token)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    byte[] tokenDigest = token.map(PowerApi::sha256).orElse(null);
    server.createContext(
        "/api/v1/power/status",
        ex -> {
          if (!ex.getRequestMethod().equals("GET")) {
            send(ex, 405, Map.of("error", "use GET"));
            return;
          }
          send(ex, 200, manager.status());
        });
    server.createContext(
        "/api/v1/nodes/",
        ex -> {
          Matcher m = WAKE.matcher(ex.getRequestURI().getPath());
          if (!m.matches()) {
            send(ex, 404, Map.of("error", "not found"));
            return;
          }
          if (!ex.getRequestMethod().equals("POST")) {
            send(ex, 405, Map.of("error", "use POST"));
            return;
          }
          if (tokenDigest == null) {
            send(
                ex,
                403,
                Map.of("error", "wake API disabled: no token configured (power.api.token)"));
            return;
          }
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : "";
          // Comparing digests keeps the comparison constant-time and independent of the length.
          if (!MessageDigest.isEqual(tokenDigest, sha256(given))) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            send(ex, 401, Map.of("error", "missing or wrong bearer token"));
            return;
          }
          String node = m.group(1);
          WakeCoordinator.Admission a;
          try {
            a =
                manager.requestWake(
                    node,
                    "api request from " + ex.getRemoteAddress().getAddress().getHostAddress());
          } catch (IllegalArgumentException e) {
            send(ex, 404, Map.of("error", e.getMessage()));
            return;
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("node", node);
          body.put("admission", a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
          if (a == WakeCoordinator.Admission.BACKOFF) {
            long s = Math.max(1, manager.retryAfter(node).toSeconds());
            ex.getResponseHeaders().add("Retry-After", String.valueOf(s));
            body.put("retryAfterSeconds", s);
            send(ex, 429, body);
          } else {
            send(ex, 202, body);
          }
        });
    server.createContext("/healthz", ex -> send(ex, 200, Map.of("status", "ok")));
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-power-api");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new PowerApi(server);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange ex, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
