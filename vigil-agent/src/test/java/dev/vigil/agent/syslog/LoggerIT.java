package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** util-linux {@code logger} sends to the gateway in every framing it has; Loki gets it all. */
class LoggerIT {
  @TempDir static Path data;
  static LokiProtocolReceiver loki;
  static GatewayFixture gw;
  static Path logger;

  @BeforeAll
  static void start() throws Exception {
    logger = Tools.require("logger", "bsdutils");
    loki = LokiProtocolReceiver.start(0);
    gw = GatewayFixture.start(data, loki.url());
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (loki != null) {
      loki.close();
    }
  }

  static ReceivedEntry awaitLine(String text) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> loki.entries().stream().anyMatch(e -> e.line().equals(text)));
    Optional<ReceivedEntry> e =
        loki.entries().stream().filter(x -> x.line().equals(text)).findFirst();
    return e.orElseThrow();
  }

  void send(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(List.of(logger.toString(), "--server", "127.0.0.1"));
    cmd.addAll(List.of(args));
    Tools.Run r = Tools.run(null, 20, cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void udpRfc3164() {
    send(
        "--port",
        "" + gw.udpPort(),
        "--udp",
        "--rfc3164",
        "-t",
        "udp3164",
        "-p",
        "local3.warning",
        "hello udp 3164");
    ReceivedEntry e = awaitLine("hello udp 3164");
    assertThat(e.labels())
        .containsEntry("app", "udp3164")
        .containsEntry("severity", "warning")
        .containsEntry("facility", "local3")
        .containsEntry("listener", "udp")
        .containsEntry("cluster", "test");
    assertThat(e.tenant()).isEqualTo("tenant-a");
    assertThat(e.structuredMetadata())
        .containsEntry("sender", "127.0.0.1")
        .containsKey("received_at");
  }

  @Test
  void aLargeUdpMessageArrivesWhole() {
    // Larger than the 2 KiB a datagram channel reads by default, well within the 64 KiB limit.
    String text = "big udp " + "0123456789".repeat(600);
    send("--port", "" + gw.udpPort(), "--udp", "--rfc3164", "--size", "8192", "-t", "bigudp", text);
    ReceivedEntry e = awaitLine(text);
    assertThat(e.labels()).containsEntry("app", "bigudp");
    assertThat(e.structuredMetadata()).doesNotContainKey("truncated");
  }

  @Test
  void udpRfc5424WithStructuredData() {
    send(
        "--port",
        "" + gw.udpPort(),
        "--udp",
        "--rfc5424",
        "-t",
        "udp5424",
        "--msgid",
        "ID9",
        "--sd-id",
        "origin@32473",
        "--sd-param",
        "site=\"lab\"",
        "hello udp 5424");
    ReceivedEntry e = awaitLine("hello udp 5424");
    assertThat(e.labels()).containsEntry("app", "udp5424");
    assertThat(e.structuredMetadata())
        .containsEntry("msgid", "ID9")
        .containsEntry("sd_origin_32473_site", "lab");
    assertThat(e.structuredMetadata()).containsEntry("format", "rfc5424");
  }

  @Test
  void tcpRfc5424NonTransparent() {
    send("--port", "" + gw.tcpPort(), "--tcp", "--rfc5424", "-t", "tcp5424", "hello tcp lf");
    ReceivedEntry e = awaitLine("hello tcp lf");
    assertThat(e.labels()).containsEntry("listener", "tcp").containsEntry("app", "tcp5424");
  }

  @Test
  void tcpOctetCounting() {
    send(
        "--port",
        "" + gw.tcpPort(),
        "--tcp",
        "--octet-count",
        "--rfc5424",
        "-t",
        "octets",
        "hello octet counted");
    assertThat(awaitLine("hello octet counted").labels()).containsEntry("app", "octets");
  }

  @Test
  void tcpRfc3164() {
    send("--port", "" + gw.tcpPort(), "--tcp", "--rfc3164", "-t", "tcp3164", "hello tcp 3164");
    assertThat(awaitLine("hello tcp 3164").labels()).containsEntry("app", "tcp3164");
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    send("--port", "" + gw.udpPort(), "--udp", "-t", "metrics", "for the metrics");
    awaitLine("for the metrics");
    assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gw.metricSum("vigil_syslog_loki_pushed_entries_total") >= 1);
    String m = gw.get("/metrics").body();
    assertThat(m)
        .contains("vigil_syslog_received_total{listener=\"udp\",source=\"127.0.0.1\"}")
        .contains("vigil_syslog_journal_bytes")
        .contains("vigil_syslog_event_skew_seconds");
  }
}
