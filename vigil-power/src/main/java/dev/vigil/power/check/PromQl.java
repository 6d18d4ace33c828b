package dev.vigil.power.check;

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

/** Minimal client of Prometheus' instant query API. */
public final class PromQl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final HttpClient http;

  public PromQl(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Number of series (or 1 for a scalar/string) in the query's result. */
  public int resultCount(String query, Duration timeout) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            baseUrl + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new IOException("HTTP " + resp.statusCode() + " from " + baseUrl + ", not JSON");
    }
    if (resp.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException(
          "query failed (HTTP " + resp.statusCode() + "): " + body.path("error").asText());
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    if (type.equals("vector") || type.equals("matrix")) {
      return data.path("result").size();
    }
    return data.has("result") ? 1 : 0;
  }
}
