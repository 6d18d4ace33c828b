package dev.vigil.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Instant queries and reads against Prometheus' HTTP API ({@code /api/v1/...}). */
public final class PrometheusQuery implements PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One element of an instant vector. */
  public record Sample(Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.getOrDefault(name, "");
    }
  }

  /** Prometheus could not be asked, or answered with an error. */
  public static final class QueryException extends Exception {
    public QueryException(String message) {
      super(message);
    }
  }

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  public PrometheusQuery(String url, Duration timeout) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI parsed;
    try {
      parsed = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--prometheus: not a URL: '" + url + "'");
    }
    if (parsed.getScheme() == null
        || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
        || parsed.getHost() == null) {
      throw new IllegalArgumentException(
          "--prometheus: expected http(s)://host[:port][/path], got '" + url + "'");
    }
    this.base = parsed;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public JsonNode get(String pathAndQuery) throws QueryException {
    HttpResponse<String> resp = send(URI.create(base + pathAndQuery));
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new QueryException("Prometheus at " + base + " answered HTTP " + resp.statusCode() + " with a non-JSON body");
    }
    if (!"success".equals(root.path("status").asText())) {
      throw new QueryException("Prometheus refused " + pathAndQuery + ": "
          + root.path("error").asText("HTTP " + resp.statusCode()));
    }
    return root.path("data");
  }

  @Override
  public boolean ready() throws QueryException {
    return send(URI.create(base + "/-/ready")).statusCode() == 200;
  }

  private HttpResponse<String> send(URI uri) throws QueryException {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new QueryException("cannot reach Prometheus at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException("interrupted");
    }
  }

  @Override
  public List<Sample> query(String promql) throws QueryException {
    URI uri =
        URI.create(
            base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> resp;
    try {
      resp =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new QueryException("cannot reach Prometheus at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException("interrupted");
    }
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new QueryException(
          "Prometheus at "
              + base
              + " answered HTTP "
              + resp.statusCode()
              + " with a non-JSON body");
    }
    if (!"success".equals(root.path("status").asText())) {
      throw new QueryException(
          "Prometheus rejected '"
              + promql
              + "': "
              + root.path("error").asText("HTTP " + resp.statusCode()));
    }
    JsonNode data = root.path("data");
    if (!"vector".equals(data.path("resultType").asText())) {
      throw new QueryException(
          "expected an instant vector for '"
              + promql
              + "', got "
              + data.path("resultType").asText());
    }
    List<Sample> out = new ArrayList<>();
    for (JsonNode r : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = r.path("metric").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      double v;
      try {
        v = Double.parseDouble(r.path("value").path(1).asText());
      } catch (NumberFormatException e) {
        continue;
      }
      out.add(new Sample(labels, v));
    }
    return out;
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
