package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec.Fsync;
import dev.vigil.spec.syslog.SyslogSpec.WhenFull;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pusher against a Loki-protocol receiver that misbehaves as Loki or a proxy in front of it
 * can: 401 for a while, 400 naming some entries (stored the rest), 413, 429 with Retry-After,
 * answers slower than the timeout, connections closed without an answer. Each test counts what
 * reached the receiver against what was journaled: missing, duplicated, dead-lettered.
 */
class LokiPushFaultsIT {
  @TempDir Path dir;

  private final List<String> log = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (log) {
            log.add(r.getLevel() + " " + r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Held here: the log manager keeps loggers only weakly, and the handler is on this one. */
  private final Logger logger = Logger.getLogger(LokiPusher.class.getName());

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void unlisten() {
    logger.removeHandler(capture);
  }

  /** What the pusher reported, as the metrics would count it. */
  static final class Counts implements LokiPusher.Listener {
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    @Override
    public void pushed(int entries, long bytes) {
      pushed.addAndGet(entries);
    }

    @Override
    public void failed(String reason) {
      failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void retried() {
      retries.incrementAndGet();
    }

    @Override
    public void deadLettered(int entries) {
      deadLettered.addAndGet(entries);
    }

    long failures(String reason) {
      AtomicLong n = failures.get(reason);
      return n == null ? 0 : n.get();
    }
  }

  static final Instant NOW = Instant.now();

  static LokiEntry entry(int i, Instant t) {
    return new LokiEntry(
        Map.of("app", "fault", "host", "h" + (i % 3)),
        t,
        String.format("fault line %06d", i),
        Map.of("sender", "127.0.0.1"));
  }

  private Journal journal;
  private LokiPusher pusher;
  private final Counts counts = new Counts();

  private void start(LokiProtocolReceiver loki, Duration timeout, List<LokiEntry> entries)
      throws IOException {
    journal = Journal.open(dir.resolve("journal"), 4 << 20, 256 << 20, Fsync.NEVER, WhenFull.BLOCK);
    for (LokiEntry e : entries) {
      journal.append(e.encode());
    }
    journal.flush();
    pusher =
        new LokiPusher(
                journal,
                loki.url(),
                "t",
                256 * 1024,
                Duration.ofMillis(50),
                Duration.ofMillis(50),
                Duration.ofMillis(400),
                timeout,
                new DeadLetterFile(dir.resolve("dead-letter.jsonl")),
                counts)
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    if (pusher != null) {
      pusher.close(Duration.ofSeconds(1));
    }
    if (journal != null) {
      journal.close();
    }
  }

  private static List<LokiEntry> entries(int n) {
    List<LokiEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(entry(i, NOW.plusNanos(i * 1000L)));
    }
    return out;
  }

  /** Line -> times received. */
  private static Map<String, Integer> received(LokiProtocolReceiver loki) {
    Map<String, Integer> got = new HashMap<>();
    for (ReceivedEntry e : loki.entries()) {
      got.merge(e.line(), 1, Integer::sum);
    }
    return got;
  }

  private long deadLetterLines() throws IOException {
    Path f = dir.resolve("dead-letter.jsonl");
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void unauthorizedForAWhileIsRetriedNotDeadLettered() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.failAlways(401);
      start(loki, Duration.ofSeconds(5), entries(20_000));
      await().atMost(Duration.ofSeconds(10)).until(() -> counts.failures("http_401") >= 5);
      loki.recover();
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingBytes() == 0);
      Map<String, Integer> got = received(loki);
      System.out.printf(
          "Loki 401 for a while: journaled 20000, delivered %d, duplicates %d, dead-lettered %d, failed attempts %d%n",
          got.size(),
          got.values().stream().mapToLong(n -> n - 1).sum(),
          deadLetterLines(),
          counts.failures("http_401"));
      assertThat(got).hasSize(20_000);
      assertThat(got.values()).allMatch(n -> n == 1);
      assertThat(deadLetterLines()).isZero();
      assertThat(counts.pushed.get()).isEqualTo(20_000);
      synchronized (log) {
        assertThat(log)
            .filteredOn(l -> l.contains("failing"))
            .hasSize(1)
            .allMatch(l -> l.contains("configuration problem"));
        assertThat(log).filteredOn(l -> l.contains("recovered")).hasSize(1);
      }
    }
  }

  @Test
  void badRequestDeadLettersOnlyTheEntriesLokiRefused() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      Instant cutoff = NOW.minus(Duration.ofDays(7));
      loki.validateLikeLoki(0, 0, cutoff);
      List<LokiEntry> entries = entries(20_000);
      // Every tenth entry is older than Loki accepts.
      for (int i = 0; i < entries.size(); i += 10) {
        entries.set(i, entry(i, cutoff.minus(Duration.ofHours(1)).plusMillis(i)));
      }
      start(loki, Duration.ofSeconds(5), entries);
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingBytes() == 0);
      assertThat(loki.rejectedRequests()).isPositive();
      Map<String, Integer> got = received(loki);
      System.out.printf(
          "Loki 400 for some entries: journaled 20000, stored %d, dead-lettered %d, counted pushed %d%n",
          got.size(), deadLetterLines(), counts.pushed.get());
      assertThat(got).hasSize(18_000);
      assertThat(got.values()).allMatch(n -> n == 1);
      assertThat(deadLetterLines()).isEqualTo(2_000);
      assertThat(Files.readString(dir.resolve("dead-letter.jsonl")))
          .contains("has timestamp too old");
      assertThat(counts.pushed.get()).isEqualTo(18_000);
      assertThat(counts.deadLettered.get()).isEqualTo(2_000);
    }
  }

  @Test
  void tooLargeIsSplitAndDeliveredWhole() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.failNext(413, 3);
      start(loki, Duration.ofSeconds(5), entries(5_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingBytes() == 0);
      Map<String, Integer> got = received(loki);
      System.out.printf(
          "Loki 413 three times: journaled 5000, delivered %d, duplicates %d, dead-lettered %d%n",
          got.size(), got.values().stream().mapToLong(n -> n - 1).sum(), deadLetterLines());
      assertThat(got).hasSize(5_000);
      assertThat(got.values()).allMatch(n -> n == 1);
      assertThat(deadLetterLines()).isZero();
      synchronized (log) {
        assertThat(log).anyMatch(l -> l.contains("too large (413)"));
      }
    }
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.failNext(429, 1, "Ingestion rate limit exceeded\n", "2");
      long start = System.nanoTime();
      start(loki, Duration.ofSeconds(5), entries(100));
      await().atMost(Duration.ofSeconds(15)).until(() -> journal.pendingBytes() == 0);
      // The backoff alone would retry within 400 ms.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      assertThat(received(loki)).hasSize(100);
      assertThat(counts.failures("http_429")).isEqualTo(1);
    }
  }

  @Test
  void answersSlowerThanTheTimeoutDuplicateAtMostOneBatch() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.delay(Duration.ofMillis(1500));
      // Batches of ~256 KiB: several of them, each answered after 1.5 s with a 0.5 s timeout.
      start(loki, Duration.ofMillis(500), entries(30_000));
      await().atMost(Duration.ofSeconds(60)).until(() -> journal.pendingBytes() == 0);
      Map<String, Integer> got = received(loki);
      assertThat(got).hasSize(30_000);
      long duplicates = got.values().stream().mapToLong(n -> n - 1).sum();
      System.out.printf(
          "Loki answering after 1.5 s, timeout 0.5 s: journaled 30000, delivered %d, duplicates %d, timeouts %d%n",
          got.size(), duplicates, counts.failures("timeout"));
      assertThat(got.values()).allMatch(n -> n <= 2);
      assertThat(counts.failures("timeout")).isEqualTo(1);
      // At most one batch (10,000 records at most) was sent twice.
      assertThat(duplicates).isLessThanOrEqualTo(10_000);
      assertThat(counts.pushed.get()).isEqualTo(30_000);
    }
  }

  @Test
  void connectionsClosedWithoutAnAnswerAreRetried() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.dropNext(3);
      start(loki, Duration.ofSeconds(5), entries(2_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingBytes() == 0);
      Map<String, Integer> got = received(loki);
      System.out.printf(
          "Loki closing 3 connections unanswered: journaled 2000, delivered %d, duplicates %d%n",
          got.size(), got.values().stream().mapToLong(n -> n - 1).sum());
      assertThat(got).hasSize(2_000);
      assertThat(got.values()).allMatch(n -> n == 1);
      assertThat(counts.failures("connection")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void serverErrorsAreRetried() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      loki.failNext(500, 3);
      start(loki, Duration.ofSeconds(5), entries(2_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingBytes() == 0);
      Map<String, Integer> got = received(loki);
      System.out.printf(
          "Loki 500 three times: journaled 2000, delivered %d, duplicates %d%n",
          got.size(), got.values().stream().mapToLong(n -> n - 1).sum());
      assertThat(got).hasSize(2_000);
      assertThat(got.values()).allMatch(n -> n == 1);
      assertThat(counts.failures("http_500")).isEqualTo(3);
      assertThat(deadLetterLines()).isZero();
    }
  }
}
