package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import dev.vigil.testing.syslog.SyslogDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real rsyslog and syslog-ng, configured as a node would be, relay to the gateway: logger → relay
 * (its own TCP input) → gateway over TCP (octet counted) and UDP → Loki receiver.
 */
class RelayIT {
  @TempDir static Path tmp;
  static LokiProtocolReceiver loki;
  static GatewayFixture gw;
  static Path logger;

  @BeforeAll
  static void start() throws Exception {
    logger = Tools.require("logger", "bsdutils");
    loki = LokiProtocolReceiver.start(0);
    gw = GatewayFixture.start(tmp.resolve("data"), loki.url());
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

  static List<ReceivedEntry> awaitLines(String prefix, int n) {
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> loki.entries().stream().filter(e -> e.line().startsWith(prefix)).count() >= n);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "expected "
              + n
              + " lines starting with '"
              + prefix
              + "', got "
              + loki.entries().stream()
                  .map(
                      x ->
                          x.labels().get("listener") + "|" + x.labels().get("app") + "|" + x.line())
                  .toList(),
          e);
    }
    return loki.entries().stream().filter(e -> e.line().startsWith(prefix)).toList();
  }

  static void log(int port, String tag, String text) {
    Tools.Run r =
        Tools.run(
            null,
            20,
            logger.toString(),
            "--server",
            "127.0.0.1",
            "--port",
            "" + port,
            "--tcp",
            "--octet-count",
            "--rfc5424",
            "-t",
            tag,
            text);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void rsyslogForwardsOverTcpAndUdp() throws Exception {
    int in = SyslogDaemon.freePort();
    String conf =
        String.join(
            "\n",
            "global(workDirectory=\"" + tmp.resolve("rsyslog") + "\")",
            "module(load=\"imtcp\")",
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + in + "\" ruleset=\"fwd\")",
            "ruleset(name=\"fwd\") {",
            "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\""
                + gw.tcpPort()
                + "\" protocol=\"tcp\""
                + " TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\")",
            "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\""
                + gw.udpPort()
                + "\" protocol=\"udp\""
                + " template=\"RSYSLOG_TraditionalForwardFormat\")",
            "}",
            "");
    try (SyslogDaemon rsyslog = SyslogDaemon.rsyslog(tmp.resolve("rsyslog"), conf)) {
      rsyslog.awaitTcp(in, Duration.ofSeconds(15));
      for (int i = 0; i < 20; i++) {
        log(in, "viarsyslog", "rsyslog relay " + i);
      }
      List<ReceivedEntry> got = awaitLines("rsyslog relay ", 40);
      assertThat(
              got.stream()
                  .filter(e -> e.labels().get("listener").equals("tcp"))
                  .map(ReceivedEntry::line)
                  .distinct())
          .hasSize(20);
      assertThat(
              got.stream()
                  .filter(e -> e.labels().get("listener").equals("udp"))
                  .map(ReceivedEntry::line)
                  .distinct())
          .hasSize(20);
      assertThat(got).allSatisfy(e -> assertThat(e.labels()).containsEntry("app", "viarsyslog"));
      ReceivedEntry tcp =
          got.stream()
              .filter(e -> e.labels().get("listener").equals("tcp"))
              .findFirst()
              .orElseThrow();
      assertThat(tcp.structuredMetadata()).containsEntry("format", "rfc5424");
      ReceivedEntry udp =
          got.stream()
              .filter(e -> e.labels().get("listener").equals("udp"))
              .findFirst()
              .orElseThrow();
      assertThat(udp.structuredMetadata()).containsEntry("format", "rfc3164");
    }
  }

  @Test
  void syslogNgForwardsOverTcpAndUdp() throws Exception {
    SyslogDaemon.requireSyslogNg();
    int in = SyslogDaemon.freePort();
    String conf =
        String.join(
            "\n",
            "@version: 3.38",
            "options { stats_freq(0); };",
            "source s_in { syslog(ip(\"127.0.0.1\") port(" + in + ") transport(\"tcp\")); };",
            "destination d_tcp { syslog(\"127.0.0.1\" port("
                + gw.tcpPort()
                + ") transport(\"tcp\")); };",
            "destination d_udp { network(\"127.0.0.1\" port("
                + gw.udpPort()
                + ") transport(\"udp\")); };",
            "log { source(s_in); destination(d_tcp); destination(d_udp); };",
            "");
    try (SyslogDaemon ng = SyslogDaemon.syslogNg(tmp.resolve("syslog-ng"), conf)) {
      ng.awaitTcp(in, Duration.ofSeconds(15));
      for (int i = 0; i < 20; i++) {
        log(in, "viasyslogng", "syslog-ng relay " + i);
      }
      List<ReceivedEntry> got = awaitLines("syslog-ng relay ", 40);
      assertThat(
              got.stream()
                  .filter(e -> e.labels().get("listener").equals("tcp"))
                  .map(ReceivedEntry::line)
                  .distinct())
          .hasSize(20);
      assertThat(
              got.stream()
                  .filter(e -> e.labels().get("listener").equals("udp"))
                  .map(ReceivedEntry::line)
                  .distinct())
          .hasSize(20);
      assertThat(got).allSatisfy(e -> assertThat(e.labels()).containsEntry("app", "viasyslogng"));
    }
  }
}
