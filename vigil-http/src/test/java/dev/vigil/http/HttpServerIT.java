package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the server passes to routes and writes back, on loopback. */
class HttpServerIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(
        b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void passesMethodPathQueryHeadersBodyAndPeerAndWritesTheResponse() throws Exception {
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
    try (HttpServer server =
        HttpServer.builder().listener(Listener.of("test", "127.0.0.1", 0, echo)).buildAndStart()) {
      String base = "http://127.0.0.1:" + server.getPort();
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/echo/x%20y?q=1&name[]=a"))
                  .header("X-Test", "a")
                  .POST(HttpRequest.BodyPublishers.ofString("hello")));
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.headers().firstValue("X-Seen")).contains("a");
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(seen.get().method()).isEqualTo("POST");
      assertThat(seen.get().path()).isEqualTo("/api/v1/echo/x y");
      assertThat(seen.get().query()).isEqualTo("q=1&name[]=a");
      assertThat(new String(seen.get().body(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(seen.get().remoteAddress()).isEqualTo("127.0.0.1");

      // A prefix covers the paths below it, not others that merely start with it.
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/echoes"))).statusCode())
          .isEqualTo(404);

      seen.set(null);
      HttpResponse<String> big =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/echo"))
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          new byte[Limits.defaults().maxBodyBytes() + 1])));
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(seen.get()).isNull();
    }
  }

  @Test
  void listenersAddedLaterShareTheServerAndKeepTheirOwnRoutes() throws Exception {
    try (HttpServer server =
        HttpServer.builder()
            .listener(
                Listener.of(
                    "one", "127.0.0.1", 0, Routes.of("/a", false, r -> Response.text(200, "a"))))
            .buildAndStart()) {
      int two =
          server.listen(
              Listener.of(
                  "two", "127.0.0.1", 0, Routes.of("/b", true, r -> Response.text(200, "b"))));
      assertThat(two).isNotEqualTo(server.getPort()).isEqualTo(server.port("two"));
      assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + two + "/b"))).body())
          .isEqualTo("b");
      assertThat(
              send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + two + "/a")))
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              send(HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.getPort() + "/a")))
                  .body())
          .isEqualTo("a");

      // A taken port is a BindException naming the listener.
      assertThatThrownBy(() -> server.listen(Listener.of("three", "127.0.0.1", two)))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("three listener 127.0.0.1:" + two);
    }
  }

  @Test
  void aFullHandlerPoolAnswers503AndCloseWaitsForAnswersInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    PrometheusRegistry registry = new PrometheusRegistry();
    HttpServer server =
        HttpServer.builder()
            .registry(registry)
            .handlers(1, 1)
            .listener(
                Listener.of(
                    "test",
                    "127.0.0.1",
                    0,
                    Routes.of(
                        "/slow",
                        true,
                        r -> {
                          entered.countDown();
                          try {
                            release.await(20, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return Response.text(200, "done");
                        })))
            .buildAndStart();
    String url = "http://127.0.0.1:" + server.getPort() + "/slow";
    var first =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    var queued =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.handlers.getQueue().size() == 1);
    // The one thread is busy, the one queue place taken: the third is turned away at once.
    HttpResponse<String> third =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.headers().firstValue("Retry-After")).contains("1");

    Thread closer = new Thread(server::close, "closer");
    closer.start();
    int port = server.getPort();
    // Closing has begun once the port no longer accepts; the answer in flight is still written.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return false;
              } catch (java.io.IOException refused) {
                return true;
              }
            });
    release.countDown();
    HttpResponse<String> r = first.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("done");
    closer.join(15_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(queued.handle((x, e) -> x == null ? -1 : x.statusCode()).get(10, TimeUnit.SECONDS))
        .isIn(200, -1);
    // Closing unregisters the server's metrics.
    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName()))
        .doesNotContain("vigil_http_responses");
  }

  @Test
  void countsResponsesByCodeAndRefusedConnectionsByReason() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (HttpServer server =
        HttpServer.builder()
            .registry(registry)
            .listener(
                Listener.of(
                        "test",
                        "127.0.0.1",
                        0,
                        Routes.of("/ok", false, r -> Response.text(200, "ok")))
                    .withLimits(Limits.defaults().withMaxConnections(4, 1)))
            .buildAndStart()) {
      String base = "http://127.0.0.1:" + server.getPort();
      try (java.net.Socket held = new java.net.Socket("127.0.0.1", server.getPort())) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> server.openConnections("test") == 1);
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/ok")));
        assertThat(refused.statusCode()).isEqualTo(503);
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> send(HttpRequest.newBuilder(URI.create(base + "/ok"))).statusCode() == 200);
      assertThat(counter(registry, "vigil_http_connections_rejected", "reason", "source"))
          .isGreaterThanOrEqualTo(1);
      assertThat(counter(registry, "vigil_http_responses", "code", "200"))
          .isGreaterThanOrEqualTo(1);
      assertThat(counter(registry, "vigil_http_responses", "code", "503"))
          .isGreaterThanOrEqualTo(1);
    }
  }

  private static double counter(
      PrometheusRegistry registry, String name, String label, String value) {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> value.equals(d.getLabels().get(label)))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
