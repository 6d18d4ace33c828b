package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: 100,000 messages over TCP reach Loki exactly once (count and content) although Loki
 * is down for 60 s during the send, and again across a graceful agent restart mid-stream.
 */
class DeliveryAcceptanceIT {
  static final int N = 100_000;
  @TempDir Path tmp;

  static String message(String run, int i) {
    return String.format("%s message %06d payload-%08x", run, i, i * 2654435761L & 0xffffffffL);
  }

  /** Sends [from, to) octet-counted, at most {@code perSecond} messages per second. */
  static void send(int port, String run, int from, int to, int perSecond)
      throws IOException, InterruptedException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      long start = System.nanoTime();
      for (int i = from; i < to; i++) {
        String msg = "<134>1 - loadgen bench " + i + " - - " + message(run, i);
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        if ((i - from) % 1000 == 999) {
          out.flush();
          long due = start + (long) ((i - from + 1) * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
      out.flush();
    }
  }

  static void assertExactlyOnce(LokiProtocolReceiver loki, String run, int n) {
    List<ReceivedEntry> got =
        loki.entries().stream().filter(e -> e.line().startsWith(run + " ")).toList();
    Set<String> lines = new HashSet<>();
    for (ReceivedEntry e : got) {
      lines.add(e.line());
    }
    assertThat(lines).as("distinct lines of %s", run).hasSize(n);
    assertThat(got).as("entries of %s (duplicates would exceed %d)", run, n).hasSize(n);
    for (int i = 0; i < n; i += 997) {
      assertThat(lines).contains(message(run, i));
    }
    assertThat(lines).contains(message(run, n - 1));
    assertThat(got)
        .allSatisfy(
            e ->
                assertThat(e.labels())
                    .containsEntry("app", "bench")
                    .containsEntry("host", "loadgen"));
  }

  @Test
  void lokiDownForSixtySecondsLosesAndDuplicatesNothing() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(tmp.resolve("a"), loki.url())) {
      loki.stop();
      long outageStart = System.nanoTime();
      // ~4k msg/s: the whole send (25 s) happens inside the outage.
      send(gw.tcpPort(), "outage", 0, N, 4000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gw.metricSum("vigil_syslog_received_total", "listener=\"tcp\"") >= N);
      assertThat(gw.metricSum("vigil_syslog_loki_push_failures_total")).isPositive();
      assertThat(gw.metricSum("vigil_syslog_journal_bytes")).isPositive();
      assertThat(loki.size()).isZero();
      long remaining = Duration.ofSeconds(60).toNanos() - (System.nanoTime() - outageStart);
      if (remaining > 0) {
        Thread.sleep(remaining / 1_000_000);
      }
      loki.restart();
      await().atMost(Duration.ofSeconds(60)).until(() -> loki.size() >= N);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
      Thread.sleep(1000);
      assertExactlyOnce(loki, "outage", N);
      assertThat(gw.metricSum("vigil_syslog_loki_pushed_entries_total")).isEqualTo(N);
      // The archive holds the same messages.
      long archived = 0;
      gw.syslog.close();
      try (Stream<Path> files = Files.walk(tmp.resolve("a").resolve("archive"))) {
        // Today's archive is plain text; finished days are compressed (SyslogArchiveTest).
        for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
          try (var in = Files.newInputStream(f)) {
            archived +=
                new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.contains("outage message"))
                    .count();
          }
        }
      }
      assertThat(archived).isEqualTo(N);
    }
  }

  @Test
  void gracefulRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
    Path data = tmp.resolve("b");
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      // Loki refuses (503) during the first half: the journal holds it across the restart.
      loki.failAlways(503);
      try (GatewayFixture gw = GatewayFixture.start(data, loki.url())) {
        send(gw.tcpPort(), "restart", 0, N / 2, 50_000);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gw.metricSum("vigil_syslog_received_total", "listener=\"tcp\"") >= N / 2);
      }
      assertThat(loki.size()).isZero();
      loki.recover();
      try (GatewayFixture gw = GatewayFixture.start(data, loki.url())) {
        send(gw.tcpPort(), "restart", N / 2, N, 50_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> loki.size() >= N);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
        Thread.sleep(1000);
        assertExactlyOnce(loki, "restart", N);
      }
    }
  }
}
