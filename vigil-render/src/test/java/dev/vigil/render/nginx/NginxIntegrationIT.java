package dev.vigil.render.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.live.LiveNginx;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.render.live.LivePrometheus;
import dev.vigil.render.live.Rendered;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered NGINX integration against the real programs: Debian's nginx (1.22) with a
 * stub_status page and its nginx-prometheus-exporter (0.11) run with the rendered arguments (the
 * status URL included), scraped by a real Prometheus with the rendered rules ({@link
 * LivePrometheus} shortens every {@code for:}). Then the server is broken the ways the alerts are
 * about: every worker connection taken by requests in progress, and the server stopped; each fires
 * its alert through real evaluation, with the rendered labels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxIntegrationIT {
  private static final String INSTANCE = "shop";

  /** Few slots (one goes to the listening socket), so the test can take them all. */
  private static final int WORKER_CONNECTIONS = 16;

  @TempDir static Path dir;

  private static LiveProcess nginx;
  private static LiveProcess exporter;
  private static LivePrometheus prometheus;
  private static RenderedStack stack;
  private static int nginxPort;

  @BeforeAll
  static void start() throws Exception {
    nginxPort = LiveProcess.freePort();
    stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "integrations:\n  nginx:\n    - name: "
                        + INSTANCE
                        + "\n      statusUrl: http://127.0.0.1:"
                        + nginxPort
                        + "/stub_status\n"));
    // A request whose header has not ended holds its connection; idle keep-alive connections
    // would be reused by nginx instead, and never exhaust it.
    nginx =
        LiveNginx.start(
            Files.createDirectories(dir.resolve("nginx")),
            "worker_connections " + WORKER_CONNECTIONS + ";",
            "  client_header_timeout 120s;\n"
                + "  server { listen 127.0.0.1:"
                + nginxPort
                + ";\n"
                + "    location = /stub_status { stub_status; }\n"
                + "    location / { return 200 'shop'; } }\n",
            nginxPort);
    Path bin = Tools.require("prometheus-nginx-exporter", "prometheus-nginx-exporter");
    Container c =
        Rendered.container(stack, NginxExporterRenderer.NAME, "nginx-exporter-" + INSTANCE);
    Rendered.checkFlagsAccepted(c, bin);
    assertThat(c.getArgs())
        .contains("--nginx.scrape-uri=http://127.0.0.1:" + nginxPort + "/stub_status");
    int port = LiveProcess.freePort();
    List<String> command = new ArrayList<>(List.of(bin.toString()));
    command.addAll(Rendered.argsOnLoopback(c, "--web.listen-address", port));
    exporter =
        LiveProcess.http(
            "nginx-exporter", dir, port, "/metrics", Duration.ofSeconds(30), Map.of(), command);
    Map<String, Object> job =
        LivePrometheus.staticJob(
            NginxExporterRenderer.JOB, exporter.address(), Map.of("instance", INSTANCE));
    // Every two seconds with as long to answer: a loaded machine may take more than the test
    // Prometheus' default second for a scrape.
    job.put("scrape_interval", "2s");
    job.put("scrape_timeout", "2s");
    prometheus =
        LivePrometheus.start(
            Files.createDirectories(dir.resolve("prometheus")),
            stack.contributions().ruleFiles().get(NginxExporterRenderer.NAME),
            List.of(job));
    prometheus.awaitUp(NginxExporterRenderer.JOB, 1, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter, nginx}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // The others still need closing.
      }
    }
  }

  @Test
  @Order(1)
  void everyFamilyVigilReadsIsExposedWithItsContractTypeAndEveryDashboardQueryReturnsData()
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginxPort + "/cart"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("shop");
    }
    String metrics = exporter.get("/metrics").body();
    assertThat(metrics).contains("nginx_up 1");
    Rendered.checkContractTypes("nginx-exporter", metrics, stack, NginxExporterRenderer.NAME);
    for (String q : Rendered.dashboardQueries(stack, NginxDashboard.UID)) {
      Awaitility.await(q)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> prometheus.query(q), r -> !r.isEmpty());
    }
    assertThat(prometheus.ruleErrors()).isEmpty();
    assertThat(prometheus.firing("NginxDown")).isEmpty();
    assertThat(prometheus.firing("NginxDroppedConnections")).isEmpty();
  }

  @Test
  @Order(2)
  void requestsTakingEveryWorkerConnectionFireNginxDroppedConnections() throws Exception {
    long start = System.nanoTime();
    List<Socket> held = new ArrayList<>();
    Path errorLog = dir.resolve("nginx/logs/error.log");
    try {
      // One connection per poll, its request header never finished: nginx reads it between polls,
      // after which it can neither finish nor reuse the connection. Once every slot is held so,
      // nginx accepts the next connection and closes it unhandled, logging an alert (before that
      // it only closes connections it has not read from, with a warning, and counts them handled).
      Awaitility.await("nginx dropping connections for want of worker connections")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Socket s = new Socket();
                s.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), nginxPort), 5_000);
                held.add(s);
                try {
                  OutputStream out = s.getOutputStream();
                  out.write(
                      "GET /cart HTTP/1.1\r\nHost: shop\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException closedByNginx) {
                  // A connection nginx dropped: what the test is after.
                }
                return Files.readAllLines(errorLog).stream()
                    .anyMatch(
                        l ->
                            l.contains("[alert]")
                                && l.contains("worker_connections are not enough"));
              });
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    // The exporter reads the counters once it has a connection again.
    Map<String, String> alert =
        prometheus.awaitFiring(
            "NginxDroppedConnections", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("NginxDroppedConnections", start);
    assertThat(alert)
        .containsEntry("severity", "warning")
        .containsEntry("job", "nginx")
        .containsEntry("team", "platform");
  }

  @Test
  @Order(3)
  void aStoppedServerFiresNginxDown() throws Exception {
    long start = System.nanoTime();
    nginx.close();
    assertThat(nginx.isAlive()).isFalse();
    Map<String, String> alert =
        prometheus.awaitFiring("NginxDown", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("NginxDown", start);
    assertThat(alert).containsEntry("severity", "critical").containsEntry("job", "nginx");
    // The exporter itself keeps answering: its target stays up, so this is NginxDown and not
    // TargetDown.
    assertThat(prometheus.query("up{job=\"nginx\"} == 1")).isNotEmpty();
  }

  /**
   * How long the real evaluation took, for the record; the shortened {@code for:} is part of it.
   */
  private static void report(String alert, long startNanos) {
    System.out.printf(
        "%s fired %.1f s after the fault (every for: shortened to %s)%n",
        alert, (System.nanoTime() - startNanos) / 1e9, LivePrometheus.FOR);
  }
}
