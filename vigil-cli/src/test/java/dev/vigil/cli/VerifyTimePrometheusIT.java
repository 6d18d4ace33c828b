package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import dev.vigil.time.Chronyc;
import dev.vigil.time.NtpServer;
import dev.vigil.time.SntpClient;
import dev.vigil.time.TimeProbe;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil verify time --prometheus}: the agent's time probe measures a real chronyd and a peer
 * whose clock is 2.5 s ahead, exports through the Prometheus client's HTTP server, a real
 * Prometheus scrapes it, and the command reads the result back through the query API.
 */
class VerifyTimePrometheusIT {
  @Test
  void readsProbeAndChronyMetricsThroughPrometheus() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Gauge logSkew =
        Gauge.builder()
            .name("vigil_syslog_event_skew_seconds")
            .help("event time minus receive time")
            .labelNames("source")
            .register(registry);
    logSkew.labelValues("switch-core").set(-1.5);
    logSkew.labelValues("nas").set(42);
    SntpClient client =
        SntpClient.builder()
            .samples(2)
            .spacing(Duration.ofMillis(10))
            .timeout(Duration.ofMillis(500))
            .build();
    try (ChronydServer chronyd = ChronydServer.startLocal(8);
        LyingNtpServer peerAhead = LyingNtpServer.withOffset(2.5);
        TimeProbe probe =
            TimeProbe.builder()
                .registry(registry)
                .upstream(List.of(NtpServer.parse(chronyd.hostPort())))
                .peers(List.of(NtpServer.parse(peerAhead.hostPort())))
                .chronyc(new Chronyc(chronyd.chronycCommand(), Duration.ofSeconds(5)))
                .client(client)
                .build();
        HTTPServer exporter =
            HTTPServer.builder()
                .inetAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .registry(registry)
                .buildAndStart();
        PrometheusProcess prom =
            PrometheusProcess.scraping(
                "vigil-agent", "127.0.0.1:" + exporter.getPort(), "masternode")) {
      probe.runOnce();
      HttpClient http = HttpClient.newHttpClient();
      Awaitility.await("prometheus has scraped the probe")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      prom.url()
                                          + "/api/v1/query?query="
                                          + URLEncoder.encode(
                                              "vigil_time_chrony_stratum", StandardCharsets.UTF_8)))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("masternode"));

      Cli r = Cli.run("time", "--prometheus", prom.url());
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out())
          .containsPattern("metrics present\\s+PASS\\s+1 probes, 0 chrony exporters")
          .containsPattern("masternode\\s+offset \\(probe\\)\\s+PASS")
          .containsPattern("masternode\\s+offset \\(chrony\\)\\s+PASS")
          .containsPattern("masternode\\s+stratum \\(chrony\\)\\s+PASS\\s+8")
          .containsPattern("masternode\\s+leap \\(chrony\\)\\s+PASS")
          .containsPattern(
              "masternode\\s+sources\\s+PASS\\s+1\\s+>= 1\\s+from vigil_time_trusted_sources")
          .containsPattern(
              "masternode -> "
                  + peerAhead.hostPort().replace(".", "\\.")
                  + "\\s+peer skew\\s+FAIL\\s+\\+2\\.5\\d\\d s")
          .containsPattern("masternode <- switch-core\\s+log timestamps\\s+PASS\\s+-1\\.500 s")
          .containsPattern("masternode <- nas\\s+log timestamps\\s+FAIL\\s+\\+42\\.000 s")
          .contains("Result: FAIL (exit 1)");
    }
  }

  @Test
  void unreachablePrometheusCannotBeChecked() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Cli r = Cli.run("time", "--prometheus", "http://127.0.0.1:" + port, "--timeout", "2s");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).containsPattern("query\\s+UNKNOWN").contains("cannot reach Prometheus");
  }
}
