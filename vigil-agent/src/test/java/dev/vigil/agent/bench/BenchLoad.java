package dev.vigil.agent.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's messages and senders. A message is RFC 5424 as a relay forwards it (rsyslog's
 * RSYSLOG_SyslogProtocol23Format, LF-framed as every target reads it): 16 hosts, 4 programs, about
 * 150 bytes. Messages are formatted before any clock starts; a sender only writes bytes.
 */
final class BenchLoad {
  private static final String[] APPS = {"sshd", "kernel", "nginx", "CRON"};
  private static final int[] PRI = {38, 6, 30, 78};

  /** Distinct messages held in memory; a longer run sends them again (counts are what matter). */
  private static final int POOL = 200_000;

  /** One formatted block of messages and where each starts. */
  final byte[] block;

  final int[] starts;
  final int count;

  private BenchLoad(byte[] block, int[] starts) {
    this.block = block;
    this.starts = starts;
    this.count = starts.length - 1;
  }

  /** A pool of messages stamped {@code at} (so no target takes the time as too old or too new). */
  static BenchLoad pool(String run, Instant at) {
    return pool(run, at, POOL);
  }

  static BenchLoad pool(String run, Instant at, int n) {
    String stamp = at.truncatedTo(ChronoUnit.MICROS).toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 160);
    int[] starts = new int[n + 1];
    for (int i = 0; i < n; i++) {
      starts[i] = out.size();
      byte[] b = message(run, i, stamp);
      out.write(b, 0, b.length);
    }
    starts[n] = out.size();
    return new BenchLoad(out.toByteArray(), starts);
  }

  static byte[] message(String run, int i, String stamp) {
    int app = i % APPS.length;
    String text =
        switch (app) {
          case 0 ->
              "Accepted publickey for alice from 192.0.2."
                  + (i % 250)
                  + " port "
                  + (40000 + i % 20000)
                  + " ssh2: ED25519";
          case 1 ->
              "[UFW BLOCK] IN=eth0 OUT= SRC=198.51.100."
                  + (i % 250)
                  + " DST=192.0.2.10 PROTO=TCP DPT="
                  + (i % 1024);
          case 2 ->
              "192.0.2."
                  + (i % 250)
                  + " GET /api/v1/items/"
                  + i
                  + " HTTP/1.1 200 512 rt=0.00"
                  + (i % 10);
          default -> "(root) CMD (run-parts /etc/cron.hourly) job " + (i % 997);
        };
    String line =
        "<"
            + PRI[app]
            + ">1 "
            + stamp
            + " host-"
            + (i / APPS.length % 16)
            + " "
            + APPS[app]
            + " "
            + (1000 + i % 30000)
            + " - - "
            + run
            + " "
            + text
            + "\n";
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  /** Bytes of messages {@code from} (inclusive) to {@code to} (exclusive) of the pool, cycling. */
  private void write(OutputStream out, long from, long to) throws IOException {
    long i = from;
    while (i < to) {
      int at = (int) (i % count);
      int n = (int) Math.min(to - i, count - at);
      // At most 64 KiB per write: what a sender's socket buffer takes at a time anyway.
      int off = starts[at];
      int end = starts[at + n];
      while (off < end) {
        int len = Math.min(1 << 16, end - off);
        out.write(block, off, len);
        off += len;
      }
      i += n;
    }
  }

  /**
   * Sends {@code n} messages over {@code connections} TCP connections at once, each sending its
   * contiguous share; returns when every byte is written.
   */
  void sendTcp(int port, long n, int connections) throws Exception {
    Thread[] threads = new Thread[connections];
    AtomicReference<Exception> failure = new AtomicReference<>();
    long share = n / connections;
    for (int c = 0; c < connections; c++) {
      long from = c * share;
      long to = c == connections - 1 ? n : from + share;
      threads[c] =
          new Thread(
              () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                  s.setSendBufferSize(1 << 20);
                  OutputStream out = s.getOutputStream();
                  write(out, from, to);
                  out.flush();
                } catch (IOException e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-tcp-" + c);
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Sends {@code n} datagrams (one message each, no trailing LF) as fast as one socket can. */
  void sendUdp(int port, long n) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSendBufferSize(1 << 20);
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      DatagramPacket p = new DatagramPacket(block, 0, 0, to);
      for (long i = 0; i < n; i++) {
        int at = (int) (i % count);
        p.setData(block, starts[at], starts[at + 1] - starts[at] - 1);
        s.send(p);
      }
    }
  }
}
