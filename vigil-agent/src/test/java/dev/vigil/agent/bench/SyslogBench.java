package dev.vigil.agent.bench;

import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.testing.loki.ReceivedEntry;
import dev.vigil.testing.syslog.SyslogDaemon;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Loopback load generator for bench/syslog (not a test). Sends the same messages over TCP and UDP
 * to the Vigil gateway, rsyslog and syslog-ng, each writing to a local file, and prints one table;
 * then the gateway again pushing to the Loki-protocol receiver. Bounded: every wait has a timeout.
 *
 * <p>Usage: {@code SyslogBench <workdir> [tcpMessages] [udpMessages] [targets]} where targets is
 * a comma list of vigil, rsyslog, syslog-ng, loki (default: all).
 *
 * <p>Every target first gets the same warm-up ({@link #WARMUP} messages over two connections,
 * untimed): the timed run measures a running server, not its first second (for the
 * JVM, before the hot path is compiled).
 */
public final class SyslogBench {
  static final int WARMUP = 300_000;
  /** The Loki phase only needs the push path started: fewer, as they all go through the receiver. */
  static final int LOKI_WARMUP = 20_000;
  static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

  record Result(
      String target, double tcpRate, long tcpMissing, double drainMs, double cpuCores, double udpLossPct, long peakRssKb) {}

  interface Target extends AutoCloseable {
    String name();

    int tcpPort();

    int udpPort();

    long pid();

    /** Messages written to the target's output so far. */
    long written() throws Exception;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "target/bench");
    int tcpN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int udpN = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    Files.createDirectories(work);
    String only = args.length > 3 ? args[3] : "vigil,rsyslog,syslog-ng,loki";
    List<Result> results = new ArrayList<>();
    if (only.contains("vigil")) {
      results.add(run(new Gateway(work.resolve("gateway"), "http://127.0.0.1:9/"), tcpN, udpN));
    }
    if (only.contains("rsyslog")) {
      results.add(run(new Peer("rsyslog", work.resolve("rsyslog")), tcpN, udpN));
    }
    if (!only.contains("syslog-ng")) {
      // not requested
    } else if (SyslogDaemon.findSyslogNg().isPresent()) {
      results.add(run(new Peer("syslog-ng", work.resolve("syslog-ng")), tcpN, udpN));
    } else {
      System.out.println("syslog-ng not found (PATH or $VIGIL_SYSLOG_NG_ROOT): skipped");
    }
    double bestPeer =
        results.stream().filter(r -> !r.target().equals("vigil")).mapToDouble(Result::tcpRate).max().orElse(Double.NaN);
    System.out.println();
    System.out.printf(Locale.ROOT, "%-10s %12s %10s %10s %10s %10s %10s %12s%n",
        "target", "tcp msg/s", "vs best", "tcp lost", "drain ms", "cpu cores", "udp loss", "peak RSS MB");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-10s %12.0f %9.2fx %10d %10.0f %10.2f %9.2f%% %12.1f%n",
          r.target(), r.tcpRate(), r.tcpRate() / bestPeer, r.tcpMissing(), r.drainMs(), r.cpuCores(),
          r.udpLossPct(), r.peakRssKb() / 1024.0);
    }
    System.out.println();
    if (only.contains("loki")) {
      lokiPhase(work.resolve("gateway-loki"), tcpN);
    }
  }

  static Result run(Target t, int tcpN, int udpN) throws Exception {
    try (t) {
      System.out.println("== " + t.name() + " (pid " + t.pid() + ")");
      sendTcp(t.tcpPort(), prepare("warmup", WARMUP, 2));
      long base = awaitWritten(t, WARMUP);
      // Messages are formatted before the clock starts: the generator only writes bytes.
      byte[][] load = prepare("tcp", tcpN, 2);
      long cpu0 = cpuTicks(t.pid());
      long t0 = System.nanoTime();
      long lastSent = sendTcp(t.tcpPort(), load);
      long got = awaitWritten(t, base + tcpN) - base;
      long t1 = System.nanoTime();
      long cpu1 = cpuTicks(t.pid());
      double secs = (t1 - t0) / 1e9;
      double rate = got / secs;
      double cpu = (cpu1 - cpu0) / 100.0 / secs;
      long before = t.written();
      sendUdp(t.udpPort(), udpN);
      long udpGot = awaitStable(t, before + udpN) - before;
      double loss = 100.0 * (udpN - udpGot) / udpN;
      long rss = peakRssKb(t.pid());
      System.out.printf(Locale.ROOT, "   tcp %d msgs in %.2fs = %.0f msg/s, cpu %.2f cores; udp %d/%d%n",
          got, secs, rate, cpu, udpGot, udpN);
      return new Result(t.name(), rate, tcpN - got, (t1 - lastSent) / 1e6, cpu, loss, rss);
    }
  }

  static byte[] message(String run, int i) {
    return String.format(Locale.ROOT,
            "<134>Jan 12 10:00:00 loadgen bench[4242]: %s %08d user=alice action=login src=192.0.2.%d result=ok latency_ms=%d\n",
            run, i, i % 250, i % 997)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** n messages (LF-framed) split over {@code conns} connections, one byte stream each. */
  static byte[][] prepare(String run, int n, int conns) throws IOException {
    java.io.ByteArrayOutputStream[] out = new java.io.ByteArrayOutputStream[conns];
    for (int c = 0; c < conns; c++) {
      out[c] = new java.io.ByteArrayOutputStream(n / conns * 120 + 1024);
    }
    for (int i = 0; i < n; i++) {
      out[i % conns].write(message(run, i));
    }
    byte[][] streams = new byte[conns][];
    for (int c = 0; c < conns; c++) {
      streams[c] = out[c].toByteArray();
    }
    return streams;
  }

  /** Sends each prepared stream over its own TCP connection; returns nanoTime of the last byte. */
  static long sendTcp(int port, byte[][] streams) throws Exception {
    int conns = streams.length;
    Thread[] threads = new Thread[conns];
    long[] last = new long[conns];
    Exception[] err = new Exception[1];
    for (int c = 0; c < conns; c++) {
      final int id = c;
      threads[c] = new Thread(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          OutputStream out = s.getOutputStream();
          byte[] b = streams[id];
          for (int off = 0; off < b.length; off += 1 << 16) {
            out.write(b, off, Math.min(1 << 16, b.length - off));
          }
          out.flush();
          last[id] = System.nanoTime();
        } catch (IOException e) {
          err[0] = e;
        }
      });
      threads[c].start();
    }
    for (Thread th : threads) {
      th.join();
    }
    if (err[0] != null) {
      throw err[0];
    }
    return Arrays.stream(last).max().orElse(System.nanoTime());
  }

  static void sendUdp(int port, int n) throws IOException {
    byte[][] messages = new byte[n][];
    for (int i = 0; i < n; i++) {
      messages[i] = message("udp", i);
    }
    try (DatagramSocket s = new DatagramSocket()) {
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      for (byte[] b : messages) {
        s.send(new DatagramPacket(b, b.length - 1, to));
      }
    }
  }

  static long awaitWritten(Target t, long target) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    long w;
    while ((w = t.written()) < target && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return w;
  }

  /** Waits for {@code target} or until the count stops moving for 2 s. */
  static long awaitStable(Target t, long target) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    long w = t.written();
    long lastChange = System.nanoTime();
    while (w < target && System.nanoTime() < deadline && System.nanoTime() - lastChange < 2_000_000_000L) {
      Thread.sleep(20);
      long now = t.written();
      if (now != w) {
        w = now;
        lastChange = System.nanoTime();
      }
    }
    return w;
  }

  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static int freePort() throws IOException {
    // Same number for TCP and UDP: take a TCP port and check the UDP one is free too.
    for (int i = 0; i < 50; i++) {
      int p = SyslogDaemon.freePort();
      try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", p))) {
        return p;
      } catch (IOException e) {
        // taken for UDP; try another
      }
    }
    throw new IOException("no free port");
  }

  /** Counts lines of a growing file incrementally. */
  static final class LineCounter {
    private final Path file;
    private long offset;
    private long lines;
    private final byte[] buf = new byte[1 << 20];

    LineCounter(Path file) {
      this.file = file;
    }

    long count() throws IOException {
      if (!Files.exists(file)) {
        return 0;
      }
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        f.seek(offset);
        int n;
        while ((n = f.read(buf)) > 0) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              lines++;
            }
          }
          offset += n;
        }
      }
      return lines;
    }
  }

  static final class Peer implements Target {
    final String name;
    final SyslogDaemon daemon;
    final int port;
    final LineCounter out;

    Peer(String name, Path dir) throws IOException {
      this.name = name;
      Files.createDirectories(dir);
      port = freePort();
      Path file = dir.resolve("out.log");
      Files.deleteIfExists(file);
      out = new LineCounter(file);
      if (name.equals("rsyslog")) {
        daemon = SyslogDaemon.rsyslog(dir, String.join("\n",
            "global(workDirectory=\"" + dir + "\")",
            "module(load=\"imtcp\")",
            "module(load=\"imudp\")",
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"r\")",
            "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"r\" rcvbufSize=\"8m\")",
            "ruleset(name=\"r\") { action(type=\"omfile\" file=\"" + file + "\" template=\"RSYSLOG_FileFormat\") }",
            ""));
      } else {
        daemon = SyslogDaemon.syslogNg(dir, String.join("\n",
            "@version: 3.38",
            "options { stats_freq(0); keep_hostname(yes); };",
            "source s { network(ip(\"127.0.0.1\") port(" + port + ") transport(\"tcp\") max_connections(100) log_iw_size(100000));",
            "           network(ip(\"127.0.0.1\") port(" + port + ") transport(\"udp\") so_rcvbuf(8388608)); };",
            "destination d { file(\"" + file + "\"); };",
            "log { source(s); destination(d); };",
            ""));
      }
      daemon.awaitTcp(port, java.time.Duration.ofSeconds(20));
    }

    public String name() {
      return name;
    }

    public int tcpPort() {
      return port;
    }

    public int udpPort() {
      return port;
    }

    public long pid() {
      return daemon.pid();
    }

    public long written() throws IOException {
      return out.count();
    }

    public void close() {
      daemon.close();
    }
  }

  static final class Gateway implements Target {
    final Process process;
    final int port;
    final int http;
    final HttpClient client = HttpClient.newHttpClient();

    Gateway(Path dir, String lokiUrl) throws Exception {
      Files.createDirectories(dir);
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
      }
      port = freePort();
      http = SyslogDaemon.freePort();
      Path spec = dir.resolve("vigil.yaml");
      Files.writeString(spec, String.join("\n",
          "apiVersion: vigil.dev/v1",
          "kind: Station",
          "cluster:",
          "  name: bench",
          "syslog:",
          "  listen:",
          "    address: 127.0.0.1",
          "    udpPort: " + port,
          "    tcpPort: " + port,
          "    udpReceiveBuffer: 8Mi",
          "  journal:",
          "    maxSize: 4Gi",
          "  loki:",
          "    url: " + lokiUrl,
          ""));
      // The gateway as a user starts it: the repository's launcher with its own JVM options.
      Path launcher = Path.of("vigil").toAbsolutePath();
      if (!Files.isExecutable(launcher)) {
        throw new IOException("run the benchmark from the repository root (no ./vigil launcher in " + launcher.getParent() + ")");
      }
      List<String> cmd = new ArrayList<>(List.of(
          launcher.toString(), "agent",
          "-f", spec.toString(), "--data-dir", dir.resolve("data").toString(),
          "--services", "syslog",
          "--http-address", "127.0.0.1", "--http-port", "" + http));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      // Extra JVM options for the gateway only, e.g. a flight recording while profiling.
      String extra = System.getenv("VIGIL_BENCH_AGENT_JAVA_OPTS");
      if (extra != null && !extra.isBlank()) {
        pb.environment().put("VIGIL_JAVA_OPTS", extra.trim());
      }
      process = pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          break;
        } catch (IOException e) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new IOException("gateway did not start: " + Files.readString(dir.resolve("agent.out")));
          }
          Thread.sleep(50);
        }
      }
    }

    public String name() {
      return "vigil";
    }

    public int tcpPort() {
      return port;
    }

    public int udpPort() {
      return port;
    }

    public long pid() {
      return process.pid();
    }

    /** Messages journaled: received and not dropped. */
    public long written() throws Exception {
      String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      double sum = 0;
      for (String line : body.split("\n")) {
        if (line.startsWith("vigil_syslog_parsed_total{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return (long) sum;
    }

    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The gateway pushing to the Loki-protocol receiver: throughput end to end, then latency. */
  static void lokiPhase(Path dir, int n) throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        Gateway gw = new Gateway(dir, loki.url())) {
      sendTcp(gw.tcpPort(), prepare("warmup", LOKI_WARMUP, 1));
      long deadline = System.nanoTime() + TIMEOUT_NS;
      while (loki.size() < LOKI_WARMUP && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      loki.clear();
      byte[][] load = prepare("loki", n, 2);
      long t0 = System.nanoTime();
      sendTcp(gw.tcpPort(), load);
      while (loki.size() < n && System.nanoTime() < t0 + TIMEOUT_NS) {
        Thread.sleep(5);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      int got = loki.size();
      loki.clear();
      // Latency at a steady 5,000 msg/s for 4 s: send time is in the message.
      int rate = 5000;
      int m = rate * 4;
      try (Socket s = new Socket("127.0.0.1", gw.tcpPort())) {
        OutputStream out = s.getOutputStream();
        long start = System.nanoTime();
        for (int i = 0; i < m; i++) {
          long due = start + (long) (i * 1e9 / rate);
          while (System.nanoTime() < due) {
            Thread.onSpinWait();
          }
          out.write(("<134>Jan 12 10:00:00 loadgen lat: sent=" + System.nanoTime() + " i=" + i + "\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
      long deadline2 = System.nanoTime() + TIMEOUT_NS;
      while (loki.size() < m && System.nanoTime() < deadline2) {
        Thread.sleep(10);
      }
      long[] lat = loki.entries().stream().mapToLong(SyslogBench::latencyNanos).filter(x -> x >= 0).sorted().toArray();
      System.out.printf(Locale.ROOT,
          "vigil -> Loki receiver: %d/%d entries in %.2fs = %.0f msg/s end to end; latency at %d msg/s "
              + "(batchWait 1s): p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d samples)%n",
          got, n, secs, got / secs, rate, pct(lat, 0.50), pct(lat, 0.99), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6, lat.length);
    }
  }

  static long latencyNanos(ReceivedEntry e) {
    String l = e.line();
    int i = l.indexOf("sent=");
    if (i < 0) {
      return -1;
    }
    int j = l.indexOf(' ', i);
    return e.arrivalNanos() - Long.parseLong(l.substring(i + 5, j < 0 ? l.length() : j));
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
