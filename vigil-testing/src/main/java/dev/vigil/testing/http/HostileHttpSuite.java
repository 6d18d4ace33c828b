package dev.vigil.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.base.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile clients against one HTTP listener, on loopback only: slow and half-sent requests, many
 * connections, oversized and garbage requests, deep pipelining. After each attack (and during it,
 * where the attack holds connections open) a well-behaved client must be answered within {@link
 * #SERVED_WITHIN}, and the heap must not have grown by more than {@link #HEAP_BOUND_BYTES}. The
 * server runs in the test's JVM, so "alive" means it still answers.
 *
 * <p>A module tests one of its listeners by extending this class (as a {@code *IT}) and saying how
 * to start it and what that listener's limits are.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class HostileHttpSuite {
  /** How long a well-behaved request may take while the server is under attack (busy 2 cores). */
  protected static final Duration SERVED_WITHIN = Duration.ofSeconds(3);

  /** Heap growth allowed across one attack, measured after a full collection. */
  protected static final long HEAP_BOUND_BYTES = 48L * 1024 * 1024;

  /**
   * A started listener and what a well-behaved request to it looks like.
   *
   * @param port where it listens on 127.0.0.1
   * @param probe a complete request (ending in CRLF CRLF) a well-behaved client sends
   * @param probeStatus the status it is answered with
   * @param headerTimeout the listener's limit on sending the headers
   * @param writeTimeout the listener's limit on writing one response to a client that does not read
   * @param maxConnections the listener's connection limit
   * @param maxConnectionsPerSource the per-source connection limit
   * @param maxHeaderBytes the listener's header-section limit
   * @param maxBodyBytes the listener's body limit
   */
  public record Endpoint(
      int port,
      String probe,
      int probeStatus,
      Duration headerTimeout,
      Duration writeTimeout,
      int maxConnections,
      int maxConnectionsPerSource,
      int maxHeaderBytes,
      int maxBodyBytes,
      AutoCloseable stop) {}

  /** Starts the listener under test on 127.0.0.1. */
  protected abstract Endpoint start() throws Exception;

  protected Endpoint endpoint;
  private final List<Socket> held = new ArrayList<>();
  private final ScheduledExecutorService drip =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("hostile-drip"));
  private long heapBefore;

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = start();
    served(InetAddress.getLoopbackAddress());
    heapBefore = usedHeapAfterGc();
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    drip.shutdownNow();
    for (Socket s : held) {
      s.close();
    }
    if (endpoint != null) {
      endpoint.stop().close();
    }
  }

  @Test
  void slowlorisDrippingAHeaderIsAnswered408AndOthersAreServed() throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = open(InetAddress.getLoopbackAddress());
      s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      slow.add(s);
    }
    // One byte every two seconds on each: never a complete header line.
    drip.scheduleAtFixedRate(
        () -> {
          for (Socket s : slow) {
            try {
              s.getOutputStream().write('a');
            } catch (IOException closedByServer) {
              // The server gave up on it, as it should.
            }
          }
        },
        0,
        2,
        TimeUnit.SECONDS);
    served(InetAddress.getLoopbackAddress());
    for (Socket s : slow) {
      assertThat(statusLine(s, endpoint.headerTimeout().plus(SERVED_WITHIN)))
          .startsWith("HTTP/1.1 408");
      assertClosed(s);
    }
    served(InetAddress.getLoopbackAddress());
    assertHeapBounded();
  }

  @Test
  void halfSentRequestsDoNotHoldTheServer() throws Exception {
    List<Socket> half = new ArrayList<>();
    // As many as one source may hold, less the silent one below and the well-behaved client.
    for (int i = 0; i < endpoint.maxConnectionsPerSource() - 2; i++) {
      Socket s = open(InetAddress.getLoopbackAddress());
      s.getOutputStream().write(ascii("GET / HTTP/1.1\r\n"));
      half.add(s);
    }
    // Connected and silent: no request at all.
    Socket silent = open(InetAddress.getLoopbackAddress());
    // The last place this source has left, and a client from another address: both served. (A
    // second client from the first source right away could find the first one's connection not
    // yet released by the server, and be refused by the per-source limit, as it should.)
    served(InetAddress.getLoopbackAddress());
    served(InetAddress.getByName("127.0.0.2"));
    for (Socket s : half) {
      assertThat(statusLine(s, endpoint.headerTimeout().plus(SERVED_WITHIN)))
          .startsWith("HTTP/1.1 408");
    }
    assertClosed(silent);
    assertHeapBounded();
  }

  @Test
  void oneSourceCannotTakeEveryConnection() throws Exception {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    for (int i = 0; i < endpoint.maxConnectionsPerSource(); i++) {
      open(attacker);
    }
    // Over the per-source limit: refused on arrival.
    for (int i = 0; i < 5; i++) {
      Socket extra = open(attacker);
      assertThat(statusLine(extra, SERVED_WITHIN)).startsWith("HTTP/1.1 503");
      assertClosed(extra);
    }
    // Everyone else is served meanwhile.
    served(InetAddress.getLoopbackAddress());
    served(InetAddress.getByName("127.0.0.3"));
    // The attacker's silent connections end at the header timeout; then it is served again.
    await()
        .atMost(endpoint.headerTimeout().plus(SERVED_WITHIN))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> status(attacker, SERVED_WITHIN) == endpoint.probeStatus());
    assertHeapBounded();
  }

  @Test
  void aFullListenerRefusesWith503AndRecovers() throws Exception {
    int perSource = endpoint.maxConnectionsPerSource();
    int opened = 0;
    for (int source = 10; opened < endpoint.maxConnections(); source++) {
      InetAddress a = InetAddress.getByName("127.0.1." + source);
      for (int i = 0; i < perSource && opened < endpoint.maxConnections(); i++, opened++) {
        open(a);
      }
    }
    await()
        .atMost(SERVED_WITHIN)
        .ignoreExceptions()
        .until(() -> status(InetAddress.getByName("127.0.2.1"), SERVED_WITHIN) == 503);
    await()
        .atMost(endpoint.headerTimeout().plus(SERVED_WITHIN).plus(SERVED_WITHIN))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                status(InetAddress.getLoopbackAddress(), SERVED_WITHIN) == endpoint.probeStatus());
    assertHeapBounded();
  }

  @Test
  void oversizedRequestLineHeadersAndBodiesAreRefusedWithoutBeingBuffered() throws Exception {
    // A request line far over any limit.
    Socket line = open(InetAddress.getLoopbackAddress());
    String longPath = "/" + "a".repeat(64 * 1024);
    writeIgnoringReset(line, ascii("GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertThat(statusLine(line, SERVED_WITHIN)).startsWith("HTTP/1.1 414");

    // Headers: a megabyte of them, streamed; the answer comes as soon as the limit is passed.
    Socket headers = open(InetAddress.getLoopbackAddress());
    writeIgnoringReset(headers, ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
    byte[] header = ascii("X-Filler: " + "b".repeat(1000) + "\r\n");
    for (int i = 0; i < 1024; i++) {
      if (!writeIgnoringReset(headers, header)) {
        break;
      }
    }
    assertThat(statusLine(headers, SERVED_WITHIN)).startsWith("HTTP/1.1 431");

    // A declared body over the limit is refused before it is sent.
    Socket declared = open(InetAddress.getLoopbackAddress());
    writeIgnoringReset(
        declared,
        ascii(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (endpoint.maxBodyBytes() + 1L) * 1000
                + "\r\n\r\n"));
    assertThat(statusLine(declared, SERVED_WITHIN)).startsWith("HTTP/1.1 413");

    // A chunked body that grows past the limit.
    Socket chunked = open(InetAddress.getLoopbackAddress());
    writeIgnoringReset(
        chunked, ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    byte[] chunk = ascii("1000\r\n" + "c".repeat(0x1000) + "\r\n");
    for (int sent = 0; sent <= endpoint.maxBodyBytes() + 0x1000; sent += 0x1000) {
      if (!writeIgnoringReset(chunked, chunk)) {
        break;
      }
    }
    assertThat(statusLine(chunked, SERVED_WITHIN)).startsWith("HTTP/1.1 413");
    served(InetAddress.getLoopbackAddress());
    assertHeapBounded();
  }

  @Test
  void garbageIsAnswered400OrClosedAndTheServerGoesOn() throws Exception {
    Random random = new Random(42);
    List<byte[]> garbage = new ArrayList<>();
    garbage.add(ascii("HELLO\r\n\r\n"));
    garbage.add(ascii("GET\r\n\r\n"));
    garbage.add(ascii("GET / HTTP/9.9\r\n\r\n"));
    garbage.add(ascii("GET / HTTP/1.1\r\nno colon here\r\n\r\n"));
    garbage.add(ascii("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"));
    garbage.add(ascii("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    garbage.add(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    // The start of a TLS ClientHello: someone speaking HTTPS to a plain port.
    garbage.add(
        new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
    for (int i = 0; i < 20; i++) {
      byte[] b = new byte[1 + random.nextInt(2048)];
      random.nextBytes(b);
      b[b.length - 1] = '\n';
      garbage.add(b);
    }
    for (byte[] g : garbage) {
      try (Socket s = open(InetAddress.getLoopbackAddress())) {
        writeIgnoringReset(s, g);
        writeIgnoringReset(s, ascii("\r\n\r\n"));
        String status = statusLine(s, endpoint.headerTimeout().plus(SERVED_WITHIN));
        // Either an error answer or a closed connection; never a success, never silence.
        assertThat(status).matches("(HTTP/1\\.[01] (400|408|414|431|501|505) .*)|(closed)");
      }
    }
    served(InetAddress.getLoopbackAddress());
    assertHeapBounded();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndDeepPipelinesAreCut() throws Exception {
    Socket s = open(InetAddress.getLoopbackAddress());
    String missing = "GET /no-such-path-here HTTP/1.1\r\nHost: x\r\n\r\n";
    StringBuilder batch = new StringBuilder();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batch.append(endpoint.probe().replace("Connection: close\r\n", ""));
      expected.add(endpoint.probeStatus());
      batch.append(missing);
      expected.add(404);
    }
    s.getOutputStream().write(ascii(batch.toString()));
    InputStream in = s.getInputStream();
    s.setSoTimeout((int) SERVED_WITHIN.toMillis());
    for (int status : expected) {
      assertThat(readResponseStatus(in)).isEqualTo(status);
    }
    s.close();

    // A client that pipelines without end and never reads an answer: the server stops reading
    // while an answer is stuck, then closes the connection when writing it takes too long.
    Socket deep = new Socket();
    deep.setReceiveBufferSize(4096);
    deep.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    deep.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port()), 2000);
    held.add(deep);
    byte[] many = ascii(missing.repeat(2000));
    long started = System.nanoTime();
    Thread writer =
        NamedThreads.start(
            "hostile-pipeline",
            () -> {
              for (int i = 0; i < 100 && writeIgnoringReset(deep, many); i++) {
                // Up to 200,000 requests, about 9 MB: far more than any buffer on the way.
              }
            });
    // The server's timers plus what a busy 2-core machine adds before they run and the close lands.
    Duration bound =
        endpoint
            .writeTimeout()
            .plus(endpoint.headerTimeout())
            .plus(SERVED_WITHIN)
            .plus(Duration.ofSeconds(30));
    writer.join(bound.toMillis());
    assertThat(writer.isAlive()).as("the server still accepts requests it cannot answer").isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
    served(InetAddress.getLoopbackAddress());
    assertHeapBounded();
  }

  // ---- helpers ----

  protected Socket open(InetAddress from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port()), 2000);
    held.add(s);
    return s;
  }

  /** A well-behaved client from {@code from} gets the probe's status within the bound. */
  protected void served(InetAddress from) throws IOException {
    long start = System.nanoTime();
    assertThat(status(from, SERVED_WITHIN)).isEqualTo(endpoint.probeStatus());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(SERVED_WITHIN);
  }

  private int status(InetAddress from, Duration within) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port()),
          (int) within.toMillis());
      s.setSoTimeout((int) within.toMillis());
      s.getOutputStream().write(ascii(endpoint.probe()));
      String line = readLine(s.getInputStream());
      if (line == null) {
        throw new IOException("closed without an answer");
      }
      return Integer.parseInt(line.split(" ")[1]);
    }
  }

  /** The status line the server sends within {@code within}, or "closed" when it only closes. */
  protected static String statusLine(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    try {
      String line = readLine(s.getInputStream());
      return line == null ? "closed" : line;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + within, e);
    } catch (IOException reset) {
      return "closed";
    }
  }

  /** After its answer the server closes the connection within the bound. */
  protected static void assertClosed(Socket s) throws IOException {
    s.setSoTimeout((int) SERVED_WITHIN.toMillis() * 3);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // Rest of the answer.
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (IOException reset) {
      // Closed with a reset: closed all the same.
    }
  }

  private static int readResponseStatus(InputStream in) throws IOException {
    String status = readLine(in);
    if (status == null) {
      throw new IOException("end of stream");
    }
    int length = 0;
    for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
      if (h.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        String line = b.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
      b.write(c);
      if (b.size() > 16 * 1024) {
        throw new IOException("line too long");
      }
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean writeIgnoringReset(Socket s, byte[] b) {
    try {
      OutputStream out = s.getOutputStream();
      out.write(b);
      out.flush();
      return true;
    } catch (IOException closedByServer) {
      return false;
    }
  }

  protected static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private void assertHeapBounded() {
    long after = usedHeapAfterGc();
    assertThat(after - heapBefore)
        .as("heap growth across the attack (bytes)")
        .isLessThan(HEAP_BOUND_BYTES);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
