package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal under faults, through the whole gateway: full under each whenFull policy while Loki
 * is down, and a record damaged on disk between two runs. Each test counts what reached the
 * Loki-protocol receiver against what was sent, and checks the log line and the metric.
 */
class JournalFaultsIT {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (log) {
            log.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Held here: the log manager keeps loggers only weakly, and the handler is on this one. */
  private final Logger logger = Logger.getLogger(Journal.class.getName());

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void unlisten() {
    logger.removeHandler(capture);
  }

  static SyslogSpec.Journal small(SyslogSpec.WhenFull whenFull) {
    return new SyslogSpec.Journal(
        "journal", "256Ki", "64Ki", SyslogSpec.Fsync.INTERVAL, Duration.ofSeconds(1), whenFull);
  }

  static String line(String run, int i) {
    return String.format("%s message %06d %s", run, i, "x".repeat(40));
  }

  static void sendTcp(int port, String run, int from, int to, AtomicInteger written)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4096);
      for (int i = from; i < to; i++) {
        byte[] b =
            ("<134>1 - jgen bench " + i + " - - " + line(run, i)).getBytes(StandardCharsets.UTF_8);
        out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        if (i % 50 == 49) {
          out.flush();
          written.set(i + 1 - from);
        }
      }
      out.flush();
      written.set(to - from);
    }
  }

  static Map<String, Integer> received(LokiProtocolReceiver loki, String run) {
    Map<String, Integer> got = new HashMap<>();
    for (ReceivedEntry e : loki.entries()) {
      if (e.line().startsWith(run + " ")) {
        got.merge(e.line(), 1, Integer::sum);
      }
    }
    return got;
  }

  private List<String> logLines(String fragment) {
    synchronized (log) {
      return log.stream().filter(l -> l.contains(fragment)).toList();
    }
  }

  @Test
  void blockPolicyHoldsTcpSendersAndLosesNothing() throws Exception {
    int n = 20_000;
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            GatewayFixture.start(
                tmp.resolve("a"),
                GatewayFixture.spec(loki.url(), small(SyslogSpec.WhenFull.BLOCK)))) {
      loki.stop();
      AtomicInteger written = new AtomicInteger();
      Thread sender =
          new Thread(
              () -> {
                try {
                  sendTcp(gw.tcpPort(), "block", 0, n, written);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              "block-sender");
      sender.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> !logLines("journal full").isEmpty());
      assertThat(gw.get("/readyz").statusCode()).isNotEqualTo(200);
      loki.restart();
      sender.join(60_000);
      assertThat(written.get()).isEqualTo(n);
      await().atMost(Duration.ofSeconds(60)).until(() -> received(loki, "block").size() == n);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
      Map<String, Integer> got = received(loki, "block");
      long duplicates = got.values().stream().mapToLong(c -> c - 1).sum();
      System.out.printf(
          "journal full, block: sent %d, delivered %d, duplicates %d%n", n, got.size(), duplicates);
      assertThat(duplicates).isZero();
      assertThat(gw.metricSum("vigil_syslog_dropped_total")).isZero();
      assertThat(logLines("journal full")).hasSize(1);
      assertThat(logLines("has room again")).hasSize(1);
    }
  }

  @Test
  void blockPolicyCountsEveryUdpDatagramItDrops() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            GatewayFixture.start(
                tmp.resolve("b"),
                GatewayFixture.spec(loki.url(), small(SyslogSpec.WhenFull.BLOCK)))) {
      loki.stop();
      AtomicInteger written = new AtomicInteger();
      Thread filler =
          new Thread(
              () -> {
                try {
                  sendTcp(gw.tcpPort(), "fill", 0, 10_000, written);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              "fill-sender");
      filler.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> !logLines("journal full").isEmpty());
      int datagrams = 2_000;
      try (DatagramSocket udp = new DatagramSocket()) {
        for (int i = 0; i < datagrams; i++) {
          byte[] b =
              ("<134>1 - jgen bench " + i + " - - " + line("udp", i))
                  .getBytes(StandardCharsets.UTF_8);
          udp.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), gw.udpPort()));
          if (i % 200 == 199) {
            await()
                .pollDelay(Duration.ofMillis(20))
                .atMost(Duration.ofSeconds(1))
                .until(() -> true);
          }
        }
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  gw.metricSum("vigil_syslog_received_total", "listener=\"udp\"")
                      >= datagrams * 0.9);
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
      double udpReceived = gw.metricSum("vigil_syslog_received_total", "listener=\"udp\"");
      double udpDropped =
          gw.metricSum("vigil_syslog_dropped_total", "listener=\"udp\"", "reason=\"journal_full\"");
      loki.restart();
      filler.join(60_000);
      await().atMost(Duration.ofSeconds(60)).until(() -> received(loki, "fill").size() == 10_000);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
      int udpDelivered = received(loki, "udp").size();
      System.out.printf(
          "journal full, block, UDP: sent %d, received %.0f, dropped (counted) %.0f, delivered %d%n",
          datagrams, udpReceived, udpDropped, udpDelivered);
      assertThat(udpDropped).isPositive();
      // Every datagram the gateway read is either delivered or counted as dropped.
      assertThat(udpDelivered + udpDropped).isEqualTo(udpReceived);
    }
  }

  @Test
  void dropOldestCountsExactlyWhatIsLost() throws Exception {
    int n = 20_000;
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            GatewayFixture.start(
                tmp.resolve("c"),
                GatewayFixture.spec(loki.url(), small(SyslogSpec.WhenFull.DROP_OLDEST)))) {
      loki.stop();
      sendTcp(gw.tcpPort(), "drop", 0, n, new AtomicInteger());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gw.metricSum("vigil_syslog_received_total", "listener=\"tcp\"") >= n);
      await().atMost(Duration.ofSeconds(10)).until(() -> !logLines("drop-oldest").isEmpty());
      loki.restart();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
      Map<String, Integer> got = received(loki, "drop");
      double dropped = gw.metricSum("vigil_syslog_journal_dropped_oldest_entries_total");
      long duplicates = got.values().stream().mapToLong(c -> c - 1).sum();
      System.out.printf(
          "journal full, drop-oldest: sent %d, delivered %d, counted dropped %.0f, duplicates %d%n",
          n, got.size(), dropped, duplicates);
      assertThat(got.size() + dropped).isEqualTo(n);
      assertThat(duplicates).isZero();
      assertThat(got).containsKey(line("drop", n - 1));
    }
  }

  @Test
  void aRecordDamagedOnDiskBetweenRunsCostsOnlyItself() throws Exception {
    int n = 5_000;
    Path data = tmp.resolve("d");
    SyslogSpec.Journal journal =
        new SyslogSpec.Journal(
            "journal",
            "64Mi",
            "4Mi",
            SyslogSpec.Fsync.INTERVAL,
            Duration.ofSeconds(1),
            SyslogSpec.WhenFull.BLOCK);
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.stop();
      try (GatewayFixture gw =
          GatewayFixture.start(data, GatewayFixture.spec(loki.url(), journal))) {
        sendTcp(gw.tcpPort(), "rot", 0, n, new AtomicInteger());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gw.metricSum("vigil_syslog_received_total", "listener=\"tcp\"") >= n);
      }
      // Bit rot in the middle record of the segment, between the two runs.
      Path segment;
      try (Stream<Path> s = Files.list(data.resolve("journal"))) {
        segment =
            s.filter(p -> p.getFileName().toString().startsWith("segment-"))
                .sorted()
                .findFirst()
                .orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(segment);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      int pos = 0;
      int index = 0;
      String damagedLine = null;
      while (pos + 8 <= bytes.length) {
        int len = b.getInt(pos);
        if (index == n / 2) {
          byte[] payload = java.util.Arrays.copyOfRange(bytes, pos + 8, pos + 8 + len);
          damagedLine = LokiEntry.decode(payload).line();
          for (int k = 0; k < 8; k++) {
            bytes[pos + 8 + len / 2 + k] ^= (byte) 0x5a;
          }
          break;
        }
        pos += 8 + len;
        index++;
      }
      assertThat(damagedLine).isNotNull();
      Files.write(segment, bytes);
      loki.restart();
      try (GatewayFixture gw =
          GatewayFixture.start(data, GatewayFixture.spec(loki.url(), journal))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> gw.metricSum("vigil_syslog_journal_bytes") == 0);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Map<String, Integer> got = received(loki, "rot");
        System.out.printf(
            "damaged journal record: sent %d, delivered %d, corrupt regions %.0f%n",
            n, got.size(), gw.metricSum("vigil_syslog_journal_corrupt_records_total"));
        assertThat(got).hasSize(n - 1).doesNotContainKey(damagedLine);
        assertThat(got.values()).allMatch(c -> c == 1);
        assertThat(gw.metricSum("vigil_syslog_journal_corrupt_records_total")).isEqualTo(1);
        assertThat(gw.metricSum("vigil_syslog_journal_skipped_bytes_total", "reason=\"corrupt\""))
            .isPositive();
        assertThat(logLines("damaged")).hasSize(1);
      }
    }
  }
}
