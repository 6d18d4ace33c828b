package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics behaves as the client library's own exporter: negotiation, gzip, name[] and HEAD. */
class MetricsRoutesIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("demo_events_total").help("Events.").register(registry).inc(3);
    Gauge.builder().name("demo_level").help("Level.").register(registry).set(7);
    server =
        HttpServer.builder()
            .listener(Listener.of("test", "127.0.0.1", 0, new MetricsRoutes(registry)))
            .buildAndStart();
    url = "http://127.0.0.1:" + server.getPort() + "/metrics";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String query, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + query)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void prometheusTextByDefault() throws Exception {
    HttpResponse<byte[]> r = get("");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(body)
        .contains("# TYPE demo_events_total counter", "demo_events_total 3.0", "demo_level 7.0");
    assertThat(body).doesNotContain("# EOF");
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() throws Exception {
    HttpResponse<byte[]> r =
        get(
            "",
            "Accept",
            "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;q=0.5");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(body)
        .contains("# TYPE demo_events counter", "demo_events_total 3.0")
        .endsWith("# EOF\n");
  }

  @Test
  void gzipWhenAcceptedAndFamiliesSelectedByName() throws Exception {
    HttpResponse<byte[]> r = get("?name[]=demo_level", "Accept-Encoding", "gzip");
    assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    String body;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("demo_level 7.0").doesNotContain("demo_events");
  }

  @Test
  void headAnswersTheLengthWithoutTheBody() throws Exception {
    int full = get("").body().length;
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(full);
  }

  @Test
  void debugShowsAFormatAsText() throws Exception {
    HttpResponse<byte[]> r = get("?debug=openmetrics");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    assertThat(get("?debug=nonsense").statusCode()).isEqualTo(500);
    HttpResponse<byte[]> post =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
