package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile message shapes through the whole gateway, counted at the Loki-protocol receiver. */
class HostileInputIT {
  @TempDir Path tmp;

  @Test
  void aTenMegabyteLineIsOneTruncatedEntryAndNothingStray() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(tmp.resolve("data"), loki.url())) {
      try (Socket s = new Socket("127.0.0.1", gw.tcpPort())) {
        OutputStream out = s.getOutputStream();
        out.write("<13>Dec  6 10:00:00 h1 app: before\n".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII);
        out.write("<13>Dec  6 10:00:00 h1 app: huge ".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 10 * 1024 * 1024 / chunk.length; i++) {
          out.write(chunk);
        }
        out.write("\n<13>Dec  6 10:00:00 h1 app: after\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> loki.entries().stream().anyMatch(e -> e.line().equals("after")));
      // Anything stray would be pushed with "after" or before it; give a late batch time to come.
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      List<ReceivedEntry> got = loki.entries();
      assertThat(got).extracting(ReceivedEntry::line).hasSize(3).contains("before", "after");
      ReceivedEntry huge =
          got.stream().filter(e -> e.line().startsWith("huge")).findFirst().orElseThrow();
      assertThat(huge.structuredMetadata()).containsEntry("truncated", "true");
      assertThat(gw.metricSum("vigil_syslog_truncated_total")).isEqualTo(1);
    }
  }

  @Test
  void aNulInsideANewlineFramedMessageKeepsItWhole() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(tmp.resolve("data"), loki.url())) {
      try (Socket s = new Socket("127.0.0.1", gw.tcpPort())) {
        s.getOutputStream()
            .write(
                "<13>Dec  6 10:00:00 h1 app: first\n<13>Dec  6 10:00:00 h1 app: one\0two\n"
                    .getBytes(StandardCharsets.US_ASCII));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> loki.size() >= 2);
      await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(loki.entries())
          .extracting(ReceivedEntry::line)
          .containsExactly("first", "one\0two");
    }
  }
}
