package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.http.HttpServer;
import dev.vigil.http.Request;
import dev.vigil.http.Response;
import dev.vigil.http.Routes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The power API's listener passes requests to the routes as they were sent, on loopback. */
class PowerApiIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void passesMethodPathHeadersBodyAndPeerAndWritesTheResponse() throws Exception {
    AtomicReference<Request> seen = new AtomicReference<>();
    Routes echo =
        new Routes() {
          @Override
          public List<String> pathPrefixes() {
            return List.of("/api/v1/echo");
          }

          @Override
          public Response handle(Request r) {
            seen.set(r);
            return Response.json(201, Map.of("got", r.body().length))
                .withHeader("X-Seen", String.join(",", r.header("x-test")));
          }
        };
    try (HttpServer api =
        HttpServer.builder().listener(PowerApi.listener(echo, "127.0.0.1", 0)).buildAndStart()) {
      String base = "http://127.0.0.1:" + api.getPort();
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/echo/x?q=1"))
                  .header("X-Test", "a")
                  .POST(HttpRequest.BodyPublishers.ofString("hello")));
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.headers().firstValue("X-Seen")).contains("a");
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(seen.get().method()).isEqualTo("POST");
      assertThat(seen.get().path()).isEqualTo("/api/v1/echo/x");
      assertThat(new String(seen.get().body(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(seen.get().remoteAddress()).isEqualTo("127.0.0.1");

      // A body beyond the limit is refused before the routes see it.
      seen.set(null);
      HttpResponse<String> big =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/echo"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[PowerApi.MAX_BODY + 1])));
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(seen.get()).isNull();

      HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/healthz")));
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/other"))).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void withoutItsOwnServerTheManagerStillHasItsRoutes() throws Exception {
    String yaml = "enabled: true\napi: {token: {env: T}}\nnodes:\n  master: {sleepable: false}\n";
    try (PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("master")
            .registry(new PrometheusRegistry())
            .env(Map.of("T", "tok"))
            .apiServer(false)
            .schedule(false)
            .buildAndStart()) {
      assertThat(m.getPort()).isEqualTo(-1);
      Response r =
          m.routes()
              .handle(
                  new Request(
                      "GET",
                      "/api/v1/power/status",
                      Map.of("Authorization", List.of("Bearer tok")),
                      null,
                      "127.0.0.1"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"name\" : \"master\"");
    }
  }
}
