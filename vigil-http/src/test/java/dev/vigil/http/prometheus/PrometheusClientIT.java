package dev.vigil.http.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.http.HttpServer;
import dev.vigil.http.Listener;
import dev.vigil.http.Response;
import dev.vigil.http.Routes;
import dev.vigil.http.prometheus.PrometheusClient.PrometheusException;
import dev.vigil.testing.Tools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus API client against Debian's prometheus, and against servers that misbehave. */
class PrometheusClientIT {
  @TempDir static Path dir;
  private static Process prometheus;
  private static int port;

  @BeforeAll
  static void startPrometheus() throws Exception {
    Path binary = Tools.require("prometheus", "prometheus");
    port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\n");
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private PrometheusClient client() {
    return new PrometheusClient("http://127.0.0.1:" + port + "/", Duration.ofSeconds(5));
  }

  @Test
  void readsTheApisDataAndReadiness() throws Exception {
    assertThat(client().ready()).isTrue();
    // No scrape job configured: an empty list of active targets, and no rule groups.
    var targets = client().get("/api/v1/targets?state=active");
    assertThat(targets.path("activeTargets").isArray()).isTrue();
    assertThat(targets.path("activeTargets")).isEmpty();
    assertThat(client().get("/api/v1/rules").path("groups").isArray()).isTrue();
    assertThatThrownBy(() -> client().get("/api/v1/no-such-endpoint"))
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("/api/v1/no-such-endpoint");
    assertThatThrownBy(() -> client().get("/metrics")).isInstanceOf(IllegalArgumentException.class);
    int closed = freePort();
    assertThatThrownBy(
            () -> new PrometheusClient("http://127.0.0.1:" + closed, Duration.ofSeconds(2)).ready())
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("cannot reach Prometheus at http://127.0.0.1:" + closed);
  }

  @Test
  void vectorsWithLabelsAndValues() throws Exception {
    var samples = client().vector("label_replace(vector(2.5), \"node\", \"a\", \"\", \"\")");
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).value()).isEqualTo(2.5);
    assertThat(samples.get(0).label("node")).isEqualTo("a");
    assertThat(samples.get(0).label("missing")).isEmpty();
    assertThat(client().query("vector(1) > 2").count()).isZero();
    assertThat(client().query("vector(1) > 0").count()).isEqualTo(1);
  }

  @Test
  void scalarsCountAsOneResultButAreNoVector() throws Exception {
    PrometheusClient.Result r = client().query("scalar(vector(3))");
    assertThat(r.type()).isEqualTo("scalar");
    assertThat(r.count()).isEqualTo(1);
    assertThatThrownBy(() -> client().vector("scalar(vector(3))"))
        .isInstanceOf(PrometheusException.class)
        .hasMessage("expected an instant vector for 'scalar(vector(3))', got scalar");
  }

  @Test
  void aBadQueryCarriesPrometheusOwnError() {
    assertThatThrownBy(() -> client().query("sum("))
        .isInstanceOf(PrometheusException.class)
        .hasMessageStartingWith("Prometheus rejected 'sum(' (HTTP 400): ")
        .hasMessageContaining("parse error");
  }

  @Test
  void unreachableAndNonJsonAnswersAreErrorsNamingTheServer() throws Exception {
    int closed = freePort();
    assertThatThrownBy(
            () ->
                new PrometheusClient("http://127.0.0.1:" + closed, Duration.ofSeconds(2))
                    .query("up"))
        .isInstanceOf(PrometheusException.class)
        .hasMessageStartingWith(
            "cannot reach Prometheus at http://127.0.0.1:" + closed + ": ConnectException");
    try (HttpServer html =
        HttpServer.builder()
            .listener(
                Listener.of(
                    "html",
                    "127.0.0.1",
                    0,
                    Routes.of(
                        "/api/v1/query",
                        false,
                        r -> Response.text(502, "<html>bad gateway</html>"))))
            .buildAndStart()) {
      assertThatThrownBy(
              () ->
                  new PrometheusClient("http://127.0.0.1:" + html.getPort(), Duration.ofSeconds(2))
                      .query("up"))
          .isInstanceOf(PrometheusException.class)
          .hasMessage(
              "Prometheus at http://127.0.0.1:"
                  + html.getPort()
                  + " answered HTTP 502 with a non-JSON body");
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket s = silent.accept()) {
                  s.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                  // The test closed the socket.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  new PrometheusClient(
                          "http://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1))
                      .query("up"))
          .isInstanceOf(PrometheusException.class)
          .hasMessageContaining("HttpTimeoutException");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void onlyHttpUrlsWithAHost() {
    assertThatThrownBy(() -> new PrometheusClient("localhost:9090", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected http(s)://host[:port][/path], got 'localhost:9090'");
    assertThatThrownBy(() -> new PrometheusClient("http://a b", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a URL: 'http://a b'");
    assertThat(new PrometheusClient("https://prom.example:9090/prom/", Duration.ofSeconds(1)))
        .hasToString("https://prom.example:9090/prom");
  }
}
