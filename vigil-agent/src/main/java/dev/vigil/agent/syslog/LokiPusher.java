package dev.vigil.agent.syslog;

import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the journal from its committed offset, pushes batches to Loki and commits each batch Loki
 * settled. Retries 401/403/404/408/425/429, 5xx, timeouts and connection errors with exponential
 * backoff and jitter (Retry-After as a floor), forever (the journal holds the data meanwhile); a
 * 413 halves the batch; a 400 dead-letters only the entries Loki's body names; other 4xx go to the
 * dead-letter file whole. A batch is committed only after Loki answered, so from the journal's
 * point of view every entry is delivered once; a crash between Loki's answer and the commit
 * re-sends that one batch, which Loki drops as exact duplicates (same stream, timestamp and line).
 *
 * <p>Two threads: one reads and encodes the next batch while the other sends the previous one and
 * waits for Loki's answer. At most one batch waits between them, and batches are sent and committed
 * in journal order.
 */
public final class LokiPusher implements Closeable {
  private static final Logger LOG = Logger.getLogger(LokiPusher.class.getName());
  private static final int MAX_BATCH_RECORDS = 10_000;

  /** What the pusher reports; implemented by the metrics. */
  public interface Listener {
    void pushed(int entries, long bytes);

    void failed(String reason);

    void retried();

    void deadLettered(int entries);
  }

  private final Journal journal;
  private final Journal.Reader reader;
  private final URI pushUri;
  private final String tenant;
  private final long batchBytes;
  private final Duration batchWait;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final DeadLetterFile deadLetter;
  private final Listener listener;
  private final HttpClient http;
  private final Thread thread;
  private final Thread encoder;

  /** The encoded batch waiting for the sender; one at a time keeps memory bounded. */
  private final java.util.concurrent.BlockingQueue<Batch> ready =
      new java.util.concurrent.ArrayBlockingQueue<>(1);

  /** Set by the encoder when it stops: the sender leaves once it has sent what is ready. */
  private volatile boolean encoderDone;

  /** Batch age for a batch holding an urgent message; {@link #batchWait} when none is set. */
  private Duration urgentBatchWait;

  /** When the first urgent message since the last batch was cut was appended, or 0. */
  private final java.util.concurrent.atomic.AtomicLong urgentSinceNanos =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile boolean running = true;
  private volatile long drainDeadlineNanos = Long.MAX_VALUE;
  private volatile long lastSuccessMillis;

  public LokiPusher(
      Journal journal,
      String lokiUrl,
      String tenant,
      long batchBytes,
      Duration batchWait,
      Duration minBackoff,
      Duration maxBackoff,
      Duration timeout,
      DeadLetterFile deadLetter,
      Listener listener) {
    this.journal = journal;
    this.reader = journal.reader();
    String base = lokiUrl.endsWith("/") ? lokiUrl.substring(0, lokiUrl.length() - 1) : lokiUrl;
    this.pushUri = URI.create(base + "/loki/api/v1/push");
    this.tenant = tenant == null || tenant.isBlank() ? null : tenant;
    this.batchBytes = batchBytes;
    this.batchWait = batchWait;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.timeout = timeout;
    this.deadLetter = deadLetter;
    this.listener = listener;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.thread = NamedThreads.daemon("vigil-loki-pusher").newThread(this::send);
    this.encoder = NamedThreads.daemon("vigil-loki-encoder").newThread(this::encode);
  }

  /**
   * Pushes a batch holding an urgent message once that message is {@code wait} old (set before
   * {@link #start()}); see {@link #urgent()}.
   */
  public LokiPusher urgentBatchWait(Duration wait) {
    this.urgentBatchWait = wait;
    return this;
  }

  /**
   * Called after an urgent message was appended to the journal: the waiting batch is pushed once
   * the first such message is {@code urgentBatchWait} old, instead of {@code batchWait}.
   */
  public void urgent() {
    if (urgentBatchWait != null) {
      urgentSinceNanos.compareAndSet(0, System.nanoTime());
    }
  }

  public LokiPusher start() {
    encoder.start();
    thread.start();
    return this;
  }

  /**
   * A batch read from the journal and encoded: the records it holds (decoded into entries only when
   * Loki refuses some, or the batch must be split), the compressed request, and where it ends in
   * the journal.
   */
  private record Batch(List<Journal.Record> records, byte[] body, long end) {}

  /** The records as entries, for the answers that name or store entries one by one. */
  private static List<LokiEntry> entries(List<Journal.Record> records) throws IOException {
    List<LokiEntry> entries = new ArrayList<>(records.size());
    for (Journal.Record r : records) {
      entries.add(LokiEntry.decode(r.payload()));
    }
    return entries;
  }

  private static byte[] compress(byte[] request) {
    try {
      return org.xerial.snappy.Snappy.compress(request);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public URI pushUri() {
    return pushUri;
  }

  /** Epoch millis of the last accepted push, 0 if none yet. */
  public long lastSuccessMillis() {
    return lastSuccessMillis;
  }

  /** The encoder thread: reads batches from the journal, encodes them, hands them over. */
  private void encode() {
    long firstSeen = 0;
    // End of the last batch handed to the sender: after a read error, the reader goes back to
    // the committed offset only once the sender has committed up to here (no batch twice).
    long handedEnd = journal.committedOffset();
    try {
      while (running) {
        try {
          long pending = journal.writtenOffset() - reader.position();
          if (pending <= 0) {
            firstSeen = 0;
            if (System.nanoTime() > drainDeadlineNanos) {
              return;
            }
            Thread.sleep(20);
            continue;
          }
          long now = System.nanoTime();
          if (firstSeen == 0) {
            firstSeen = now;
          }
          boolean draining = drainDeadlineNanos != Long.MAX_VALUE;
          long waitLeft = batchWait.toNanos() - (now - firstSeen);
          long urgentSince = urgentSinceNanos.get();
          if (urgentSince != 0) {
            waitLeft = Math.min(waitLeft, urgentBatchWait.toNanos() - (now - urgentSince));
          }
          if (pending < batchBytes && waitLeft > 0 && !draining) {
            Thread.sleep(Math.max(1, Math.min(20, waitLeft / 1_000_000)));
            continue;
          }
          firstSeen = 0;
          // Cleared before the read: an urgent message appended after it is not in this batch
          // and sets the time again.
          urgentSinceNanos.set(0);
          List<Journal.Record> records = reader.read(batchBytes, MAX_BATCH_RECORDS);
          if (records.isEmpty()) {
            continue;
          }
          Batch batch = prepare(records);
          while (running && !ready.offer(batch, 50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            // The sender is busy with the previous batch (or retrying it).
          }
          handedEnd = batch.end();
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "syslog pusher: " + e.getMessage(), e);
          while (running && journal.committedOffset() < handedEnd) {
            Thread.sleep(20);
          }
          reader.rewind();
          sleepQuietly(minBackoff.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      encoderDone = true;
    }
  }

  private static Batch prepare(List<Journal.Record> records) {
    RecordPushEncoder.Encoded encoded = RecordPushEncoder.encode(records);
    for (Journal.Record r : encoded.undecodable()) {
      // Checksummed but undecodable (a format change): skip it rather than stall delivery.
      LOG.severe("skipping undecodable journal record ending at " + r.end());
    }
    long end = records.get(records.size() - 1).end();
    List<Journal.Record> kept = encoded.records();
    return new Batch(kept, kept.isEmpty() ? null : compress(encoded.request()), end);
  }

  /** The sender thread: sends each batch until Loki answers, then commits it. */
  private void send() {
    while (running) {
      try {
        Batch batch = ready.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (batch == null) {
          if (encoderDone) {
            return;
          }
          continue;
        }
        deliver(batch);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // Committing failed (the journal's disk): the batch is sent again from the journal
        // after a restart; Loki drops the exact duplicates.
        LOG.log(Level.WARNING, "syslog pusher: " + e.getMessage(), e);
        sleepQuietly(minBackoff.toMillis());
      }
    }
  }

  private void deliver(Batch batch) throws IOException, InterruptedException {
    List<Journal.Record> records = batch.records();
    if (!records.isEmpty() && !push(records, batch.body())) {
      // Shutting down: leave the batch uncommitted; the next start replays it, except entries
      // whose segment drop-oldest deleted meanwhile: those are lost, and counted.
      long committed = journal.committedOffset();
      long gone = 0;
      for (Journal.Record r : records) {
        if (r.end() <= committed) {
          gone++;
        }
      }
      if (gone > 0) {
        journal.droppedInFlight(gone);
        LOG.warning(
            "stopping with "
                + gone
                + " unsent entries whose journal segment drop-oldest deleted: lost");
      }
      return;
    }
    journal.commit(batch.end());
  }

  /** What one push attempt came to. */
  private enum Answer {
    ACCEPTED,
    SETTLED,
    RETRY,
    SPLIT
  }

  /**
   * Sends {@code entries} until each is stored or dead-lettered; false when stopped first. Loki's
   * answer decides: 2xx stored; 400 per entry (the refused ones, named in its body, go to the
   * dead-letter file, the rest were stored); 413 the batch is halved; 401, 403, 404 (credentials,
   * proxy, URL: fixed by an operator, not by the data), 408, 429, 5xx and connection failures are
   * retried with backoff, honouring Retry-After; any other 4xx dead-letters the batch.
   */
  private boolean push(List<Journal.Record> records, byte[] body)
      throws IOException, InterruptedException {
    int attempt = 0;
    while (true) {
      String failure;
      long retryAfterMillis = 0;
      try {
        HttpRequest.Builder req =
            HttpRequest.newBuilder(pushUri)
                // After one timeout the same batch waits much longer: a slow Loki that stores
                // late gets at most one copy more, not one per retry.
                .timeout(slowLoki ? slowTimeout() : timeout)
                .header("Content-Type", "application/x-protobuf")
                .header("User-Agent", "vigil-agent")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (tenant != null) {
          req.header("X-Scope-OrgID", tenant);
        }
        long sentAt = System.nanoTime();
        HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        slowLoki = slowLoki && System.nanoTime() - sentAt > timeout.toNanos();
        int status = resp.statusCode();
        Answer answer = answer(status, resp.body(), records, body);
        if (answer == Answer.ACCEPTED || answer == Answer.SETTLED) {
          recovered();
          return true;
        }
        if (answer == Answer.SPLIT) {
          recovered();
          int half = records.size() / 2;
          List<Journal.Record> first = records.subList(0, half);
          List<Journal.Record> second = records.subList(half, records.size());
          return push(first, compress(RecordPushEncoder.encode(first).request()))
              && push(second, compress(RecordPushEncoder.encode(second).request()));
        }
        failure = "http_" + status;
        retryAfterMillis =
            status == 429 || status == 503
                ? RetryAfter.millis(
                    resp.headers().firstValue("Retry-After").orElse(null),
                    System.currentTimeMillis())
                : 0;
      } catch (java.net.http.HttpTimeoutException e) {
        failure = "timeout";
        slowLoki = true;
      } catch (IOException e) {
        failure = "connection";
      }
      listener.failed(failure);
      failing(failure, records.size());
      if (!running || System.nanoTime() > drainDeadlineNanos) {
        running = false;
        return false;
      }
      listener.retried();
      long cap = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(attempt, 20));
      long delay =
          ThreadLocalRandom.current()
              .nextLong(
                  minBackoff.toMillis() / 2, Math.max(cap, minBackoff.toMillis() / 2 + 1) + 1);
      // Loki's (or a proxy's) Retry-After is a floor, bounded so a bad value cannot stall delivery.
      delay = Math.max(delay, Math.min(retryAfterMillis, RetryAfter.MAX_MILLIS));
      attempt++;
      sleepUntilOrDrain(delay);
    }
  }

  private Answer answer(int status, String respBody, List<Journal.Record> records, byte[] body)
      throws IOException {
    if (status / 100 == 2) {
      lastSuccessMillis = System.currentTimeMillis();
      listener.pushed(records.size(), body.length);
      return Answer.ACCEPTED;
    }
    if (status == 413 && records.size() > 1) {
      LOG.warning(
          "Loki refused a push of "
              + records.size()
              + " entries ("
              + body.length
              + " bytes) as too large (413); sending it in halves");
      return Answer.SPLIT;
    }
    if (status / 100 != 4 || RETRIED_4XX.contains(status)) {
      return Answer.RETRY;
    }
    List<LokiEntry> entries = entries(records);
    if (status == 400) {
      List<LokiRejections.Refused> refused = LokiRejections.refused(respBody, entries);
      if (refused != null) {
        List<LokiEntry> bad = new ArrayList<>(refused.size());
        for (LokiRejections.Refused r : refused) {
          bad.add(entries.get(r.index()));
        }
        deadLetter.write(bad, refused, status);
        listener.deadLettered(bad.size());
        int stored = entries.size() - bad.size();
        if (stored > 0) {
          lastSuccessMillis = System.currentTimeMillis();
          listener.pushed(stored, body.length);
        }
        LOG.warning(
            "Loki refused "
                + bad.size()
                + " of "
                + entries.size()
                + " entries (400, e.g. "
                + clip(refused.get(0).reason())
                + "); stored "
                + stored
                + ", refused ones written to "
                + deadLetter.path());
        return Answer.SETTLED;
      }
    }
    deadLetter.write(entries, status, respBody);
    listener.deadLettered(entries.size());
    LOG.warning(
        "Loki refused "
            + entries.size()
            + " entries with "
            + status
            + " ("
            + clip(respBody)
            + "); written to "
            + deadLetter.path());
    return Answer.SETTLED;
  }

  /**
   * 4xx answers that say nothing about the data: credentials (401, 403), a wrong URL or a proxy
   * (404), a slow client (408), too early (425), rate limits (429). Retried until fixed.
   */
  private static final java.util.Set<Integer> RETRIED_4XX =
      java.util.Set.of(401, 403, 404, 408, 425, 429);

  /**
   * Set by a timeout, cleared by an answer within the configured timeout: while set, pushes wait
   * {@link #slowTimeout()}, so a Loki that stores but answers late gets one batch twice, not every
   * batch once per retry.
   */
  private volatile boolean slowLoki;

  private Duration slowTimeout() {
    return Duration.ofMillis(Math.min(600_000, Math.max(120_000, timeout.toMillis() * 6)));
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    s = s.strip();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  // What the log says about failing pushes: one line when they start, then at most one a
  // minute while they go on, one when they recover.
  private long failingSinceMillis;
  private long failedAttempts;
  private long lastFailureLogMillis;

  private void failing(String reason, int entries) {
    long now = System.currentTimeMillis();
    failedAttempts++;
    String hint =
        reason.equals("http_401") || reason.equals("http_403") || reason.equals("http_404")
            ? " (a configuration problem: credentials, proxy or URL; retrying until it is fixed)"
            : "";
    if (failingSinceMillis == 0) {
      failingSinceMillis = now;
      lastFailureLogMillis = now;
      LOG.warning(
          "Loki push failing: "
              + reason
              + hint
              + "; "
              + entries
              + " entries wait in the journal and are retried with backoff");
    } else if (now - lastFailureLogMillis >= 60_000) {
      lastFailureLogMillis = now;
      LOG.warning(
          "Loki push still failing after "
              + failedAttempts
              + " attempts over "
              + (now - failingSinceMillis) / 1000
              + " s: "
              + reason
              + hint
              + "; journal holds "
              + journal.pendingBytes()
              + " bytes");
    }
  }

  private void recovered() {
    if (failingSinceMillis != 0) {
      LOG.info(
          "Loki push recovered after "
              + failedAttempts
              + " failed attempts over "
              + (System.currentTimeMillis() - failingSinceMillis) / 1000
              + " s");
      failingSinceMillis = 0;
      failedAttempts = 0;
    }
  }

  private void sleepUntilOrDrain(long millis) throws InterruptedException {
    long until = System.nanoTime() + millis * 1_000_000;
    while (running && System.nanoTime() < until && System.nanoTime() < drainDeadlineNanos) {
      Thread.sleep(Math.min(50, millis));
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Pushes what the journal holds for up to {@code drain}, then stops. What is left stays in the
   * journal for the next start.
   */
  public void close(Duration drain) {
    drainDeadlineNanos = System.nanoTime() + drain.toNanos();
    try {
      thread.join(drain.toMillis() + timeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running = false;
    thread.interrupt();
    encoder.interrupt();
    try {
      thread.join(timeout.toMillis() + 1000);
      encoder.join(timeout.toMillis() + 1000);
      reader.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.fine("closing journal reader: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
