package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A datagram over the message size limit is kept, cut at the limit and flagged. */
class UdpLimitIT {
  @TempDir Path data;

  @Test
  void aDatagramOverTheLimitIsCutAndFlaggedNotDropped() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      SyslogSpec base = GatewayFixture.spec(loki.url(), SyslogSpec.Journal.defaults());
      SyslogSpec spec =
          new SyslogSpec(
              base.enabled(),
              base.listen(),
              new SyslogSpec.Limits("4Ki", 1000, Duration.ofMinutes(10)),
              base.parsing(),
              base.journal(),
              base.archive(),
              base.loki());
      try (GatewayFixture gw = GatewayFixture.start(data, spec);
          DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        String whole = "<13>Dec  4 06:00:00 dev app: cut-me " + "y".repeat(6000);
        byte[] b = whole.getBytes(StandardCharsets.US_ASCII);
        socket.send(
            new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), gw.udpPort()));
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> loki.entries().stream().anyMatch(e -> e.line().startsWith("cut-me")));
        ReceivedEntry e =
            loki.entries().stream()
                .filter(x -> x.line().startsWith("cut-me"))
                .findFirst()
                .orElseThrow();
        assertThat(e.structuredMetadata()).containsEntry("truncated", "true");
        // The raw message is cut at 4 KiB; the line is what follows the header.
        assertThat(whole.substring(0, 4096)).endsWith(e.line());
        assertThat(gw.metric("vigil_syslog_truncated_total{listener=\"udp\"}")).isEqualTo(1.0);
      }
    }
  }

  /**
   * The listener reuses its receive buffers from one read loop to the next: bursts of datagrams of
   * every size must each arrive once, whole, never one overwritten by another.
   */
  @Test
  void burstsOfDatagramsArriveWholeAndOnce() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(data, loki.url());
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      java.util.Set<String> sent = new java.util.HashSet<>();
      java.util.Random random = new java.util.Random(7);
      for (int i = 0; i < 3000; i++) {
        String line = "burst-" + i + " " + Integer.toString(i, 36).repeat(1 + random.nextInt(900));
        sent.add(line);
        byte[] b = ("<13>Dec  4 06:00:00 dev app: " + line).getBytes(StandardCharsets.US_ASCII);
        socket.send(
            new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), gw.udpPort()));
        if (i % 100 == 99) {
          Thread.sleep(5);
        }
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  loki.entries().stream().filter(e -> e.line().startsWith("burst-")).count()
                      >= 3000);
      java.util.List<String> got =
          loki.entries().stream()
              .map(ReceivedEntry::line)
              .filter(l -> l.startsWith("burst-"))
              .toList();
      assertThat(got).hasSize(3000).doesNotHaveDuplicates();
      assertThat(sent).containsAll(got);
    }
  }
}
