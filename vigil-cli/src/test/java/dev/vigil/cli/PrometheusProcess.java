package dev.vigil.cli;

import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Prometheus (Debian package {@code prometheus}) on a free loopback port, with its own
 * config and storage in a temporary directory, scraping one loopback target every second.
 */
final class PrometheusProcess implements Closeable {
  private final Path dir;
  private final Process process;
  private final int port;

  private PrometheusProcess(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  static PrometheusProcess scraping(String job, String target, String nodeLabel)
      throws IOException {
    Path bin = Tools.require("prometheus", "prometheus");
    Path dir = Files.createTempDirectory("vigil-prometheus-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(
        dir.resolve("prometheus.yml"),
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: " + job,
            "    static_configs:",
            "      - targets: ['" + target + "']",
            "        labels:",
            "          node: " + nodeLabel,
            ""));
    Process p =
        new ProcessBuilder(
                bin.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusProcess prom = new PrometheusProcess(dir, p, port);
    HttpClient http = HttpClient.newHttpClient();
    try {
      Awaitility.await("prometheus ready on " + port)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
                }
                return http.send(
                            HttpRequest.newBuilder(URI.create(prom.url() + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              });
    } catch (RuntimeException e) {
      prom.close();
      throw e;
    }
    return prom;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Leftovers in the temp dir are harmless.
    }
  }
}
