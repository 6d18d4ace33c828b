package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the gateway process while it receives and while it delivers, then a restart on
 * the same journal. Counted at the Loki-protocol receiver against what the sender wrote: nothing
 * the gateway had read may be missing (only what was still in the socket buffers at the kill, which
 * plain TCP syslog cannot save), nothing may be sent twice beyond one batch.
 */
class KillNineIT {
  /** One push holds at most this many entries (LokiPusher's batch cap). */
  static final int ONE_BATCH = 10_000;

  @TempDir Path tmp;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String line(String run, int i) {
    return String.format("%s message %06d", run, i);
  }

  /** Sends [0, n) octet-counted at about {@code perSecond}; counts what write() took. */
  static void send(int port, String run, int n, int perSecond, AtomicInteger written) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        byte[] b =
            ("<134>1 - killgen bench " + i + " - - " + line(run, i))
                .getBytes(StandardCharsets.UTF_8);
        out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        if (i % 100 == 99) {
          out.flush();
          written.set(i + 1);
          long due = start + (long) ((i + 1) * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
      out.flush();
      written.set(n);
    } catch (IOException e) {
      // The gateway was killed: written says how far the sender got.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** index -> copies received, for the lines of {@code run}. */
  static Map<Integer, Integer> received(LokiProtocolReceiver loki, String run) {
    Map<Integer, Integer> got = new HashMap<>();
    for (ReceivedEntry e : loki.entries()) {
      if (e.line().startsWith(run + " message ")) {
        got.merge(Integer.parseInt(e.line().substring(run.length() + 9)), 1, Integer::sum);
      }
    }
    return got;
  }

  @Test
  void killedWhileReceivingLosesOnlyWhatWasStillInTheSocket() throws Exception {
    Path data = tmp.resolve("data");
    int port = freePort();
    String run = "recv";
    int n = 100_000;
    AtomicInteger written = new AtomicInteger();
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      try (GatewayProcess.Child child =
          GatewayProcess.Child.start(data, loki.url(), port, tmp.resolve("first.log"))) {
        Thread sender = new Thread(() -> send(port, run, n, 20_000, written), "kill-test-sender");
        sender.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= 40_000);
        child.kill9();
        sender.join(30_000);
      }
      int sent = written.get();
      assertThat(sent).isLessThan(n);
      try (GatewayProcess.Child child =
          GatewayProcess.Child.start(data, loki.url(), port, tmp.resolve("second.log"))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> child.metricSum("vigil_syslog_journal_bytes") == 0 && loki.size() > 0);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Map<Integer, Integer> got = received(loki, run);
        int last = got.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        // Read by the gateway = journaled: a contiguous prefix, no holes.
        for (int i = 0; i <= last; i++) {
          assertThat(got).as("message %d of the prefix the gateway read", i).containsKey(i);
        }
        int lostInSocket = sent - (last + 1);
        long duplicates = got.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf(
            "kill -9 while receiving: written %d, delivered %d, lost in flight %d, duplicates %d%n",
            sent, got.size(), lostInSocket, duplicates);
        assertThat(last + 1).isLessThanOrEqualTo(sent + 100);
        assertThat(duplicates).isLessThanOrEqualTo(ONE_BATCH);
        assertThat(child.output()).contains("bytes to replay");
      }
    }
  }

  @Test
  void killedWhileDeliveringLosesNothingAndRepeatsAtMostOneBatch() throws Exception {
    Path data = tmp.resolve("data");
    int port = freePort();
    String run = "deliver";
    int n = 50_000;
    AtomicInteger written = new AtomicInteger();
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      // Every push is stored and answered 1.5 s later: a kill lands inside a push.
      loki.delay(Duration.ofMillis(1500));
      try (GatewayProcess.Child child =
          GatewayProcess.Child.start(data, loki.url(), port, tmp.resolve("first.log"))) {
        send(port, run, n, 100_000, written);
        assertThat(written.get()).isEqualTo(n);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> child.metricSum("vigil_syslog_received_total", "listener=\"tcp\"") >= n);
        await().atMost(Duration.ofSeconds(60)).until(() -> loki.size() > 0);
        // Halfway into the next push.
        int before = loki.requests();
        await().atMost(Duration.ofSeconds(30)).until(() -> loki.requests() > before);
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        child.kill9();
      }
      int storedBeforeRestart = loki.size();
      loki.delay(Duration.ZERO);
      try (GatewayProcess.Child child =
          GatewayProcess.Child.start(data, loki.url(), port, tmp.resolve("second.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> received(loki, run).size() == n);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> child.metricSum("vigil_syslog_journal_bytes") == 0);
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        Map<Integer, Integer> got = received(loki, run);
        long duplicates = got.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf(
            "kill -9 while delivering: sent %d, stored before the kill %d, delivered %d, missing %d, duplicates %d%n",
            n, storedBeforeRestart, got.size(), n - got.size(), duplicates);
        assertThat(got).hasSize(n);
        assertThat(duplicates).isLessThanOrEqualTo(ONE_BATCH);
      }
    }
  }
}
