package dev.vigil.http.prometheus;

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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Client of Prometheus' HTTP API ({@code /api/v1/query}, instant queries; the other read endpoints
 * such as {@code /api/v1/targets} and {@code /api/v1/rules}; readiness). One timeout bounds both
 * connecting and the whole exchange, so a query never waits longer than it.
 */
public final class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One element of an instant vector. */
  public record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** The label's value, "" when the sample has no such label (as PromQL treats it). */
    public String label(String name) {
      return labels.getOrDefault(name, "");
    }
  }

  /**
   * The answer to an instant query.
   *
   * @param type Prometheus' {@code resultType}: vector, matrix, scalar or string
   * @param count series in a vector or matrix; 1 for a scalar or string
   * @param samples the vector's elements (empty for other types); ones whose value is not a number
   *     are left out
   */
  public record Result(String type, int count, List<Sample> samples) {
    public Result {
      samples = List.copyOf(samples);
    }
  }

  /** Prometheus could not be asked, or answered with an error. */
  public static final class PrometheusException extends IOException {
    private static final long serialVersionUID = 1L;

    public PrometheusException(String message) {
      super(message);
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param url {@code http(s)://host[:port][/path]} of Prometheus (a trailing slash is ignored)
   * @throws IllegalArgumentException when {@code url} is not such a URL
   */
  public PrometheusClient(String url, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (url == null) {
      throw new IllegalArgumentException("no Prometheus URL");
    }
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI parsed;
    try {
      parsed = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: '" + url + "'");
    }
    if (parsed.getScheme() == null
        || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
        || parsed.getHost() == null) {
      throw new IllegalArgumentException(
          "expected http(s)://host[:port][/path], got '" + url + "'");
    }
    this.base = parsed;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Runs an instant query; any result type. */
  public Result query(String promql) throws PrometheusException {
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
      throw new PrometheusException(
          "cannot reach Prometheus at "
              + base
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted while querying Prometheus at " + base);
    }
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new PrometheusException(
          "Prometheus at "
              + base
              + " answered HTTP "
              + resp.statusCode()
              + " with a non-JSON body");
    }
    if (resp.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
      throw new PrometheusException(
          "Prometheus rejected '"
              + promql
              + "' (HTTP "
              + resp.statusCode()
              + "): "
              + root.path("error").asText("no error message"));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    List<Sample> samples = new ArrayList<>();
    int count;
    if (type.equals("vector") || type.equals("matrix")) {
      count = data.path("result").size();
      if (type.equals("vector")) {
        for (JsonNode r : data.path("result")) {
          Map<String, String> labels = new TreeMap<>();
          Iterator<Map.Entry<String, JsonNode>> it = r.path("metric").fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
          }
          try {
            samples.add(new Sample(labels, Double.parseDouble(r.path("value").path(1).asText())));
          } catch (NumberFormatException e) {
            // A value Prometheus sends as text that is no number; nothing to compare it with.
          }
        }
      }
    } else {
      count = data.has("result") ? 1 : 0;
    }
    return new Result(type, count, samples);
  }

  /**
   * The {@code data} of a read endpoint of the API ({@code /api/v1/targets?state=active}, {@code
   * /api/v1/rules}, {@code /api/v1/status/tsdb}), after checking Prometheus answered success.
   */
  public JsonNode get(String pathAndQuery) throws PrometheusException {
    if (!pathAndQuery.startsWith("/api/v1/")) {
      throw new IllegalArgumentException("not an API path: " + pathAndQuery);
    }
    HttpResponse<String> resp = send(URI.create(base + pathAndQuery));
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new PrometheusException(
          "Prometheus at "
              + base
              + " answered "
              + pathAndQuery
              + " with HTTP "
              + resp.statusCode()
              + " and a non-JSON body");
    }
    if (resp.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
      throw new PrometheusException(
          "Prometheus refused "
              + pathAndQuery
              + " (HTTP "
              + resp.statusCode()
              + "): "
              + root.path("error").asText("no error message"));
    }
    return root.path("data");
  }

  /** Whether Prometheus is ready to serve queries ({@code /-/ready} answers 200). */
  public boolean ready() throws PrometheusException {
    return send(URI.create(base + "/-/ready")).statusCode() == 200;
  }

  private HttpResponse<String> send(URI uri) throws PrometheusException {
    try {
      return http.send(
          HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PrometheusException(
          "cannot reach Prometheus at "
              + base
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted while asking Prometheus at " + base);
    }
  }

  /** Runs an instant query whose result must be an instant vector. */
  public List<Sample> vector(String promql) throws PrometheusException {
    Result r = query(promql);
    if (!r.type().equals("vector")) {
      throw new PrometheusException(
          "expected an instant vector for '" + promql + "', got " + r.type());
    }
    return r.samples();
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
