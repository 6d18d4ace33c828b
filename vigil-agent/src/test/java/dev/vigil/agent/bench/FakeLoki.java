package dev.vigil.agent.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.xerial.snappy.Snappy;

/**
 * A fake Loki for the benchmark: only {@code POST /loki/api/v1/push} with a snappy-compressed
 * protobuf {@code logproto.PushRequest}, as a real Loki takes it, answered 204 once the request is
 * decoded. It counts entries, checks the wire format on the way (a request that does not decode is
 * answered 400 and counted), and can record each entry's latency from a {@code sent=<nanoTime>} in
 * its line. It stores nothing: its point is to cost the sender almost nothing, so what the
 * benchmark measures is the gateway's push path, not the receiver (Vigil's test receiver, which
 * keeps every entry with its labels and metadata, tops out near 72,000 entries/s).
 *
 * <p>Hold mode keeps the answer to every push until {@link #release()}, so a journal can fill up
 * while the pusher waits, and its draining be timed alone.
 */
final class FakeLoki implements Closeable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> connections = new ArrayList<>();
  private volatile CountDownLatch held = new CountDownLatch(0);
  private volatile boolean recordLatency;
  private long entries;
  private long requests;
  private long rejected;
  private long bytes;
  private long lastArrivalNanos;
  private long[] latencies = new long[1024];
  private int latencyCount;

  FakeLoki() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "fake-loki-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Answers nothing until {@link #release()}. */
  void hold() {
    held = new CountDownLatch(1);
  }

  void release() {
    held.countDown();
  }

  void recordLatency(boolean on) {
    recordLatency = on;
  }

  synchronized long entries() {
    return entries;
  }

  synchronized long requests() {
    return requests;
  }

  synchronized long rejected() {
    return rejected;
  }

  synchronized long compressedBytes() {
    return bytes;
  }

  /** {@link System#nanoTime()} when the last counted push arrived. */
  synchronized long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  /** Latencies recorded so far, sorted, in nanoseconds. */
  synchronized long[] latencies() {
    long[] l = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(l);
    return l;
  }

  synchronized void reset() {
    entries = 0;
    requests = 0;
    rejected = 0;
    bytes = 0;
    latencyCount = 0;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        synchronized (connections) {
          connections.add(s);
        }
        Thread t = new Thread(() -> serve(s), "fake-loki-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        OutputStream out = s.getOutputStream()) {
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = contentLength(head);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          return;
        }
        long arrived = System.nanoTime();
        String status;
        if (!head.startsWith("POST /loki/api/v1/push ")) {
          status = "404 Not Found";
        } else {
          held.await();
          status = take(body, arrived) ? "204 No Content" : "400 Bad Request";
        }
        out.write(
            ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // the pusher closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Request line and headers, up to the empty line; null at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    int c;
    int state = 0;
    while ((c = in.read()) >= 0) {
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2))
              ? state + 1
              : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
      if (b.size() > 64 * 1024) {
        throw new IOException("header section too long");
      }
    }
    return null;
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new IOException("no Content-Length (the pusher sends one)");
  }

  /** Decodes a push; counts it when it is a well-formed PushRequest. */
  private boolean take(byte[] compressed, long arrived) {
    int n;
    long[] lat;
    try {
      byte[] req = Snappy.uncompress(compressed);
      Walk w = new Walk(req, recordLatency ? arrived : -1);
      w.pushRequest();
      n = w.entries;
      lat = w.latencies;
      synchronized (this) {
        entries += n;
        requests++;
        bytes += compressed.length;
        lastArrivalNanos = arrived;
        for (int i = 0; i < w.latencyCount; i++) {
          if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
          }
          latencies[latencyCount++] = lat[i];
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        rejected++;
      }
      return false;
    }
  }

  /** Walks a PushRequest without building objects: streams, entries, their lines. */
  private static final class Walk {
    private final byte[] b;
    private final long arrived;
    private int at;
    int entries;
    long[] latencies = new long[256];
    int latencyCount;

    Walk(byte[] b, long arrived) {
      this.b = b;
      this.arrived = arrived;
    }

    void pushRequest() throws IOException {
      while (at < b.length) {
        int end = field(1);
        stream(end);
      }
    }

    /** Reads a length-delimited field's key (which must be {@code number}); returns its end. */
    private int field(int number) throws IOException {
      int key = varint();
      if (key != (number << 3 | 2)) {
        throw new IOException(
            "field "
                + (key >>> 3)
                + " wire type "
                + (key & 7)
                + " where "
                + number
                + "/LEN was due");
      }
      int len = varint();
      if (len < 0 || at + len > b.length) {
        throw new IOException("length " + len + " past the end");
      }
      return at + len;
    }

    private void stream(int end) throws IOException {
      boolean labels = false;
      while (at < end) {
        int key = peekKey();
        if (key == (1 << 3 | 2)) {
          at = field(1);
          labels = true;
        } else if (key == (2 << 3 | 2)) {
          entry(field(2));
        } else if (key == (3 << 3)) {
          varint();
          skipVarint();
        } else {
          throw new IOException("unexpected field in a stream: " + key);
        }
      }
      if (!labels) {
        throw new IOException("a stream without labels");
      }
    }

    private void entry(int end) throws IOException {
      boolean timestamp = false;
      while (at < end) {
        int key = varint();
        int len = varint();
        if ((key & 7) != 2 || at + len > end) {
          throw new IOException("malformed entry");
        }
        switch (key >>> 3) {
          case 1 -> timestamp = true;
          case 2 -> line(at, at + len);
          case 3 -> {}
          default -> throw new IOException("unexpected field in an entry: " + (key >>> 3));
        }
        at += len;
      }
      if (!timestamp) {
        throw new IOException("an entry without a timestamp");
      }
      entries++;
    }

    private void line(int from, int to) {
      if (arrived < 0) {
        return;
      }
      for (int i = from; i + 5 < to; i++) {
        if (b[i] == 's'
            && b[i + 1] == 'e'
            && b[i + 2] == 'n'
            && b[i + 3] == 't'
            && b[i + 4] == '=') {
          long v = 0;
          for (int j = i + 5; j < to && b[j] >= '0' && b[j] <= '9'; j++) {
            v = v * 10 + (b[j] - '0');
          }
          if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
          }
          latencies[latencyCount++] = arrived - v;
          return;
        }
      }
    }

    private int peekKey() throws IOException {
      int save = at;
      int k = varint();
      at = save;
      return k;
    }

    /** A varint of up to 64 bits (the stream hash), skipped. */
    private void skipVarint() throws IOException {
      for (int i = 0; i < 10; i++) {
        if (at >= b.length) {
          throw new IOException("varint past the end");
        }
        if (b[at++] >= 0) {
          return;
        }
      }
      throw new IOException("varint too long");
    }

    private int varint() throws IOException {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (at >= b.length) {
          throw new IOException("varint past the end");
        }
        byte x = b[at++];
        v |= (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IOException("varint too long");
    }
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
    synchronized (connections) {
      for (Socket s : connections) {
        s.close();
      }
    }
  }
}
