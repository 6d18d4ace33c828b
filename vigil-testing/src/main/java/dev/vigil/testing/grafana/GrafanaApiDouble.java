package dev.vigil.testing.grafana;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test double of the four Grafana HTTP API endpoints {@code vigil verify} reads, answering as
 * Grafana 12's handlers do (pkg/api: apiHealthHandler, GetDataSources with its
 * DataSourceListItemDTO, CheckDatasourceHealthWithUID, the search service's Hit). It is not
 * Grafana: datasources do not query anything, their health is what the test sets. What it keeps
 * from Grafana is the protocol — paths, status codes, body shapes — and the access rules that
 * matter to a client: listing datasources needs an admin ({@code datasources:read}), a health check
 * needs {@code datasources:query} and search needs {@code dashboards:read}, which a Viewer (the
 * anonymous one of a homelab) has; without a login and without anonymous access every API answers
 * 401.
 */
public final class GrafanaApiDouble implements Closeable {
  private record Datasource(
      long id, String uid, String name, String type, String url, boolean healthy, String message) {}

  private record Hit(long id, String uid, String title) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Datasource> datasources = new CopyOnWriteArrayList<>();
  private final List<Hit> dashboards = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile String version = "12.1.1";
  private volatile boolean databaseOk = true;
  private volatile boolean anonymousViewer;
  private volatile String adminToken;
  private volatile String adminPassword;

  private GrafanaApiDouble(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts on 127.0.0.1 and a free port. */
  public static GrafanaApiDouble start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    ExecutorService ex =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "grafana-api-double");
              t.setDaemon(true);
              return t;
            });
    s.setExecutor(ex);
    GrafanaApiDouble g = new GrafanaApiDouble(s, ex);
    s.createContext("/api/", g::handle);
    s.start();
    return g;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A provisioned datasource and what its health check answers. */
  public GrafanaApiDouble datasource(
      String uid, String name, String type, boolean healthy, String message) {
    datasources.add(
        new Datasource(
            datasources.size() + 1, uid, name, type, "http://" + uid + ":80", healthy, message));
    return this;
  }

  public GrafanaApiDouble dashboard(String uid, String title) {
    dashboards.add(new Hit(dashboards.size() + 1, uid, title));
    return this;
  }

  public GrafanaApiDouble anonymousViewer(boolean on) {
    anonymousViewer = on;
    return this;
  }

  /** A service account token with the Admin role. */
  public GrafanaApiDouble adminToken(String token) {
    adminToken = token;
    return this;
  }

  public GrafanaApiDouble adminPassword(String password) {
    adminPassword = password;
    return this;
  }

  public GrafanaApiDouble databaseFailing(boolean failing) {
    databaseOk = !failing;
    return this;
  }

  /** Method and path of every request, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private enum Role {
    NONE,
    VIEWER,
    ADMIN
  }

  private Role role(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null) {
      if (adminToken != null && auth.equals("Bearer " + adminToken)) {
        return Role.ADMIN;
      }
      if (adminPassword != null
          && auth.equals(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)))) {
        return Role.ADMIN;
      }
      return Role.NONE;
    }
    return anonymousViewer ? Role.VIEWER : Role.NONE;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      if (!ex.getRequestMethod().equals("GET")) {
        json(ex, 405, "{\"message\":\"Method Not Allowed\"}");
        return;
      }
      if (path.equals("/api/health")) {
        // Unauthenticated, pretty-printed with two spaces, 503 when the database fails.
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"commit\": \"vigil-test\",\n");
        b.append("  \"database\": \"").append(databaseOk ? "ok" : "failing").append("\",\n");
        b.append("  \"version\": \"").append(version).append("\"\n}");
        json(ex, databaseOk ? 200 : 503, b.toString());
        return;
      }
      Role role = role(ex);
      if (role == Role.NONE) {
        json(ex, 401, "{\"message\":\"Unauthorized\"}");
        return;
      }
      if (path.equals("/api/datasources")) {
        if (role != Role.ADMIN) {
          denied(ex, "datasources:read");
          return;
        }
        List<String> items = new ArrayList<>();
        for (Datasource d : datasources) {
          items.add(
              "{\"id\":"
                  + d.id()
                  + ",\"uid\":"
                  + q(d.uid())
                  + ",\"orgId\":1,\"name\":"
                  + q(d.name())
                  + ",\"type\":"
                  + q(d.type())
                  + ",\"typeName\":"
                  + q(d.type())
                  + ",\"typeLogoUrl\":\"\",\"access\":\"proxy\""
                  + ",\"url\":"
                  + q(d.url())
                  + ",\"user\":\"\",\"database\":\"\",\"basicAuth\":false,\"isDefault\":"
                  + (d.id() == 1)
                  + ",\"jsonData\":{},\"readOnly\":true}");
        }
        json(ex, 200, "[" + String.join(",", items) + "]");
        return;
      }
      if (path.startsWith("/api/datasources/uid/") && path.endsWith("/health")) {
        String uid =
            path.substring("/api/datasources/uid/".length(), path.length() - "/health".length());
        Datasource d =
            datasources.stream().filter(x -> x.uid().equals(uid)).findFirst().orElse(null);
        if (d == null) {
          json(ex, 500, "{\"message\":\"Unable to load datasource metadata\",\"traceID\":\"\"}");
          return;
        }
        json(
            ex,
            d.healthy() ? 200 : 400,
            "{\"message\":"
                + q(d.message())
                + ",\"status\":"
                + q(d.healthy() ? "OK" : "ERROR")
                + "}");
        return;
      }
      if (path.equals("/api/search")) {
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        String type = params.getOrDefault("type", "");
        List<String> hits = new ArrayList<>();
        if (type.isEmpty() || type.equals("dash-db")) {
          for (Hit h : dashboards) {
            String slug =
                h.title()
                    .toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-|-$)", "");
            hits.add(
                "{\"id\":"
                    + h.id()
                    + ",\"uid\":"
                    + q(h.uid())
                    + ",\"orgId\":1,\"title\":"
                    + q(h.title())
                    + ",\"uri\":"
                    + q("db/" + slug)
                    + ",\"url\":"
                    + q("/d/" + h.uid() + "/" + slug)
                    + ",\"slug\":\"\""
                    + ",\"type\":\"dash-db\",\"tags\":[],\"isStarred\":false,\"sortMeta\":0}");
          }
        }
        json(ex, 200, "[" + String.join(",", hits) + "]");
        return;
      }
      json(ex, 404, "{\"message\":\"Not found\"}");
    }
  }

  private static void denied(HttpExchange ex, String permission) throws IOException {
    json(
        ex,
        403,
        "{\"accessErrorId\":\"ACE0000000001\",\"message\":\"You'll need additional permissions to perform"
            + " this action. Permissions needed: "
            + permission
            + "\",\"title\":\"Access denied\"}");
  }

  private static Map<String, String> params(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      m.put(
          eq < 0 ? kv : kv.substring(0, eq),
          eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return m;
  }

  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
