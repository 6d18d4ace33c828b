package dev.vigil.testing.loki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.base.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Loki's push endpoint for tests: {@code POST /loki/api/v1/push} with {@code
 * application/x-protobuf} (snappy block-compressed {@code logproto.PushRequest}) or {@code
 * application/json}, decoded as Loki decodes them, answered 204. It is not Loki; it records what
 * Loki would have stored, including structured metadata and the tenant, and answers {@code GET
 * /loki/api/v1/query_range} over what it recorded for the LogQL subset {@link LogQlQuery} reads, in
 * Loki's response shape (streams, values of [nanoseconds, line], newest first by default). In
 * {@link #multiTenant} mode it behaves like Loki with {@code auth_enabled: true}: a request without
 * {@code X-Scope-OrgID} is answered 401 "no org id" and a query sees its tenant's entries only. It
 * can be told to answer 429/500/400 (with a body and a Retry-After header), to answer late, to
 * close connections without answering, and stopped and restarted on the same port to simulate an
 * outage.
 *
 * <p>{@link #validateLikeLoki} makes it validate entries as Loki v3.5.3's distributor does
 * (pkg/distributor/validator.go: too old, line too long, too many structured metadata entries): the
 * valid entries of a push are stored and the push is answered 400 with the refusals in the text
 * Loki writes (its messages grouped by text, "N errors like: MSG" joined by "; ").
 */
public final class LokiProtocolReceiver implements Closeable {
  private final String address;
  private int port;
  private HttpServer server;
  private ExecutorService executor;
  private final List<ReceivedEntry> entries = new ArrayList<>();
  private final Set<String> unique = new LinkedHashSet<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile int forcedStatus;
  private volatile int forcedRemaining;
  private volatile String lastBadRequest;
  private volatile String forcedBody;
  private volatile String forcedRetryAfter;
  private volatile long delayMillis;
  private final AtomicInteger dropRemaining = new AtomicInteger();
  private volatile Validation validation;
  private volatile boolean multiTenant;
  private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void queryRange(HttpExchange ex) throws IOException {
    try (ex) {
      String tenant = ex.getRequestHeaders().getFirst("X-Scope-OrgID");
      if (multiTenant && (tenant == null || tenant.isEmpty())) {
        respond(ex, 401, "no org id\n");
        return;
      }
      Map<String, String> params = new LinkedHashMap<>();
      String raw = ex.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String kv : raw.split("&")) {
          int eq = kv.indexOf('=');
          String k =
              java.net.URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
          String v =
              eq < 0
                  ? ""
                  : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
          params.put(k, v);
        }
      }
      String q = params.get("query");
      if (q == null) {
        respond(ex, 400, "query parameter is required\n");
        return;
      }
      queries.add(q);
      LogQlQuery query;
      Instant start;
      Instant end;
      int limit;
      try {
        query = LogQlQuery.parse(q);
        end = params.containsKey("end") ? time(params.get("end")) : Instant.now();
        start = params.containsKey("start") ? time(params.get("start")) : end.minusSeconds(3600);
        limit = Integer.parseInt(params.getOrDefault("limit", "100"));
      } catch (IllegalArgumentException e) {
        respond(ex, 400, e.getMessage() + "\n");
        return;
      }
      boolean forward = "forward".equals(params.get("direction"));
      List<ReceivedEntry> hits = new ArrayList<>();
      synchronized (this) {
        for (ReceivedEntry e : entries) {
          boolean sameTenant = !multiTenant || tenant.equals(e.tenant());
          if (sameTenant
              && !e.timestamp().isBefore(start)
              && e.timestamp().isBefore(end)
              && query.matches(e.labels(), e.line())) {
            hits.add(e);
          }
        }
      }
      hits.sort(java.util.Comparator.comparing(ReceivedEntry::timestamp));
      if (!forward) {
        java.util.Collections.reverse(hits);
      }
      if (hits.size() > limit) {
        hits = hits.subList(0, limit);
      }
      Map<String, List<ReceivedEntry>> streams = new LinkedHashMap<>();
      for (ReceivedEntry e : hits) {
        streams.computeIfAbsent(lokiLabels(e.labels()), k -> new ArrayList<>()).add(e);
      }
      StringBuilder sb =
          new StringBuilder(
              "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
      boolean firstStream = true;
      for (List<ReceivedEntry> st : streams.values()) {
        sb.append(firstStream ? "" : ",").append("{\"stream\":{");
        firstStream = false;
        boolean firstLabel = true;
        for (Map.Entry<String, String> l : new java.util.TreeMap<>(st.get(0).labels()).entrySet()) {
          sb.append(firstLabel ? "" : ",")
              .append(json(l.getKey()))
              .append(':')
              .append(json(l.getValue()));
          firstLabel = false;
        }
        sb.append("},\"values\":[");
        for (int i = 0; i < st.size(); i++) {
          ReceivedEntry e = st.get(i);
          long ns = e.timestamp().getEpochSecond() * 1_000_000_000L + e.timestamp().getNano();
          sb.append(i == 0 ? "" : ",")
              .append("[\"")
              .append(ns)
              .append("\",")
              .append(json(e.line()))
              .append(']');
        }
        sb.append("]}");
      }
      sb.append("],\"stats\":{}}}");
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      respond(ex, 200, sb.toString());
    }
  }

  /** Loki's time parameters: integer nanoseconds since the epoch, or RFC 3339. */
  private static Instant time(String v) {
    if (v.matches("\\d+")) {
      long ns = Long.parseLong(v);
      return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
    }
    try {
      return Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("cannot parse \"" + v + "\" to a valid timestamp");
    }
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Loki's per-entry limits; 0 or null leaves a check off. */
  private record Validation(
      int maxLineBytes, int maxStructuredMetadataEntries, Instant rejectBefore) {}

  private LokiProtocolReceiver(String address, int port) {
    this.address = address;
    this.port = port;
  }

  /** Starts on 127.0.0.1 and the given port (0 for a free one). */
  public static LokiProtocolReceiver start(int port) throws IOException {
    LokiProtocolReceiver r = new LokiProtocolReceiver("127.0.0.1", port);
    r.startServer();
    return r;
  }

  private synchronized void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 128);
    executor = Executors.newFixedThreadPool(2, NamedThreads.daemon("loki-protocol-receiver"));
    server.setExecutor(executor);
    server.createContext("/loki/api/v1/push", this::push);
    server.createContext("/ready", ex -> respond(ex, 200, "ready\n"));
    server.createContext("/loki/api/v1/query_range", this::queryRange);
    server.start();
    port = server.getAddress().getPort();
  }

  public int getPort() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Simulates an outage: connections are refused until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Comes back on the same port. */
  public synchronized void restart() throws IOException {
    if (server == null) {
      startServer();
    }
  }

  /** Answers the next {@code times} pushes with {@code status} (429, 500, 400, ...). */
  public void failNext(int status, int times) {
    forcedStatus = status;
    forcedRemaining = times;
  }

  /** Answers every push with {@code status} until {@link #recover()}. */
  public void failAlways(int status) {
    failNext(status, Integer.MAX_VALUE);
  }

  public void recover() {
    forcedRemaining = 0;
    forcedBody = null;
    forcedRetryAfter = null;
  }

  /**
   * Answers the next {@code times} pushes with {@code status}, this body and Retry-After (or none).
   */
  public void failNext(int status, int times, String body, String retryAfter) {
    forcedBody = body;
    forcedRetryAfter = retryAfter;
    failNext(status, times);
  }

  /**
   * Answers every push only after {@code delay} (the push is stored first, as a slow Loki does).
   */
  public void delay(java.time.Duration delay) {
    delayMillis = delay.toMillis();
  }

  /** Closes the connection of the next {@code times} pushes without an answer (nothing stored). */
  public void dropNext(int times) {
    dropRemaining.set(times);
  }

  /**
   * Validates each entry as Loki's distributor does: lines longer than {@code maxLineBytes}, more
   * than {@code maxStructuredMetadataEntries} structured metadata entries, timestamps before {@code
   * rejectBefore} are refused; the rest are stored.
   */
  public void validateLikeLoki(
      int maxLineBytes, int maxStructuredMetadataEntries, Instant rejectBefore) {
    validation = new Validation(maxLineBytes, maxStructuredMetadataEntries, rejectBefore);
  }

  /**
   * Requires X-Scope-OrgID on every request and keeps tenants apart, as Loki with auth_enabled
   * does.
   */
  public void multiTenant(boolean on) {
    multiTenant = on;
  }

  /** The LogQL of every query received, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  public int requests() {
    return requests.get();
  }

  public int rejectedRequests() {
    return rejected.get();
  }

  public String lastBadRequest() {
    return lastBadRequest;
  }

  /** Every entry accepted, in arrival order, duplicates included. */
  public synchronized List<ReceivedEntry> entries() {
    return List.copyOf(entries);
  }

  public synchronized int size() {
    return entries.size();
  }

  /**
   * Entries Loki would keep: it drops a pushed entry identical (stream, timestamp, line) to one it
   * already has.
   */
  public synchronized int uniqueCount() {
    return unique.size();
  }

  public synchronized void clear() {
    entries.clear();
    unique.clear();
  }

  private void push(HttpExchange ex) throws IOException {
    try (ex) {
      requests.incrementAndGet();
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "only POST\n");
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      if (dropRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        rejected.incrementAndGet();
        // No answer at all: the client sees the connection close.
        ex.close();
        return;
      }
      if (forcedRemaining > 0) {
        forcedRemaining--;
        rejected.incrementAndGet();
        if (forcedRetryAfter != null) {
          ex.getResponseHeaders().set("Retry-After", forcedRetryAfter);
        }
        String b = forcedBody;
        respond(ex, forcedStatus, b != null ? b : "forced status " + forcedStatus + "\n");
        return;
      }
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      String tenant = ex.getRequestHeaders().getFirst("X-Scope-OrgID");
      if (multiTenant && (tenant == null || tenant.isEmpty())) {
        rejected.incrementAndGet();
        respond(ex, 401, "no org id\n");
        return;
      }
      List<ReceivedEntry> decoded;
      try {
        if (type != null && type.startsWith("application/x-protobuf")) {
          decoded = PushRequestDecoder.decode(SnappyBlock.decompress(body), tenant);
        } else if (type != null && type.startsWith("application/json")) {
          decoded = decodeJson(new String(body, StandardCharsets.UTF_8), tenant);
        } else {
          throw new IOException("unsupported Content-Type " + type);
        }
      } catch (IOException | RuntimeException e) {
        lastBadRequest = e.getMessage();
        respond(ex, 400, "bad request: " + e.getMessage() + "\n");
        return;
      }
      Validation v = validation;
      Map<String, Integer> refusals = new LinkedHashMap<>();
      synchronized (this) {
        for (ReceivedEntry e : decoded) {
          String refusal = v == null ? null : refusal(v, e);
          if (refusal != null) {
            refusals.merge(refusal, 1, Integer::sum);
            continue;
          }
          entries.add(e);
          unique.add(e.labels() + "\u0000" + e.timestamp() + "\u0000" + e.line());
        }
      }
      long delay = delayMillis;
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!refusals.isEmpty()) {
        rejected.incrementAndGet();
        respond(ex, 400, grouped(refusals) + "\n");
        return;
      }
      respond(ex, 204, "");
    }
  }

  /** Loki's message for an entry it refuses (validator.go, validate.go), or null. */
  private static String refusal(Validation v, ReceivedEntry e) {
    String stream = lokiLabels(e.labels());
    if (v.rejectBefore() != null && e.timestamp().isBefore(v.rejectBefore())) {
      return "entry for stream '"
          + stream
          + "' has timestamp too old: "
          + rfc3339(e.timestamp())
          + ", oldest acceptable timestamp is: "
          + rfc3339(v.rejectBefore());
    }
    int lineBytes = e.line().getBytes(StandardCharsets.UTF_8).length;
    if (v.maxLineBytes() > 0 && lineBytes > v.maxLineBytes()) {
      return "Max entry size '"
          + v.maxLineBytes()
          + "' bytes exceeded for stream '"
          + stream
          + "' while adding an entry with length '"
          + lineBytes
          + "' bytes";
    }
    int count = e.structuredMetadata().size();
    if (v.maxStructuredMetadataEntries() > 0 && count > v.maxStructuredMetadataEntries()) {
      return "stream '"
          + stream
          + "' has too many structured metadata labels: '"
          + count
          + "', limit: '"
          + v.maxStructuredMetadataEntries()
          + "'. Please see"
          + " `limits_config.max_structured_metadata_entries_count` or contact your Loki"
          + " administrator to increase it.";
    }
    return null;
  }

  /** util.GroupedErrors.Error(): "N errors like: " before a message when there is more than one. */
  private static String grouped(Map<String, Integer> refusals) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> r : refusals.entrySet()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      if (refusals.size() > 1 || r.getValue() > 1) {
        sb.append(r.getValue()).append(" errors like: ");
      }
      sb.append(r.getKey());
    }
    return sb.toString();
  }

  /** Prometheus labels.Labels.String(): sorted, {@code {a="b", c="d"}}. */
  static String lokiLabels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> l : new java.util.TreeMap<>(labels).entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(l.getKey())
          .append("=\"")
          .append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    }
    return sb.append('}').toString();
  }

  private static String rfc3339(Instant t) {
    return java.time.format.DateTimeFormatter.ISO_INSTANT.format(
        t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  @SuppressWarnings("unchecked")
  private static List<ReceivedEntry> decodeJson(String text, String tenant) throws IOException {
    List<ReceivedEntry> out = new ArrayList<>();
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(text);
    for (Object so : (List<Object>) root.get("streams")) {
      Map<String, Object> stream = (Map<String, Object>) so;
      Map<String, String> labels = new LinkedHashMap<>();
      ((Map<String, Object>) stream.get("stream")).forEach((k, v) -> labels.put(k, (String) v));
      for (Object vo : (List<Object>) stream.get("values")) {
        List<Object> v = (List<Object>) vo;
        long ns = Long.parseLong((String) v.get(0));
        Map<String, String> md = new LinkedHashMap<>();
        if (v.size() > 2 && v.get(2) != null) {
          ((Map<String, Object>) v.get(2)).forEach((k, x) -> md.put(k, (String) x));
        }
        out.add(
            new ReceivedEntry(
                tenant,
                labels,
                Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L),
                (String) v.get(1),
                md,
                System.nanoTime()));
      }
    }
    return out;
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
