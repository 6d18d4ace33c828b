package dev.vigil.agent.bench;

import dev.vigil.time.NtpResponder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The syslog benchmark of bench/syslog/run (a program, not a test): the Vigil gateway (archive on
 * and off) beside rsyslog and syslog-ng, each in its documented high-throughput configuration, on
 * loopback, over 1, 4 and 64 TCP connections and over UDP; then the gateway pushing to a fake Loki
 * (its push path's own ceiling, end to end, latency at a steady rate) and the node agent's memory.
 * Every run is printed, then medians, spreads, CPU and memory per target as a markdown table.
 *
 * <p>What is measured, per run: the rate at which the target writes the messages to its output file
 * (the gateway: whole records in its journal; the peers: lines in their file), over the middle 80 %
 * of the run (from the 10 % to the 90 % mark), so neither the first connection nor a last buffered
 * flush decides it; the CPU time of the target's process (user + system from /proc) over the whole
 * run, per message; messages lost. Memory: resident set after start (idle), its peak, and after the
 * runs. Every target first gets the same untimed warm-up.
 */
public final class SyslogBench {
  static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

  /** Command-line options. */
  record Options(
      Path work,
      long messages,
      long udpMessages,
      int runs,
      int[] connections,
      boolean udp,
      List<String> targets,
      boolean loki,
      boolean nodeAgent,
      long warmup,
      Path jfr) {

    static Options parse(String[] args) {
      Path work = Path.of("target/bench-syslog");
      long messages = 2_000_000;
      long udpMessages = 500_000;
      int runs = 3;
      int[] conns = {1, 4, 64};
      boolean udp = true;
      List<String> targets = List.of("vigil", "vigil-no-archive", "rsyslog", "syslog-ng");
      boolean loki = true;
      boolean node = true;
      long warmup = 300_000;
      Path jfr = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--work" -> work = Path.of(args[++i]);
          case "--messages" -> messages = Long.parseLong(args[++i].replace("_", ""));
          case "--udp-messages" -> udpMessages = Long.parseLong(args[++i].replace("_", ""));
          case "--runs" -> runs = Integer.parseInt(args[++i]);
          case "--connections" ->
              conns = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
          case "--no-udp" -> udp = false;
          case "--targets" -> targets = List.of(args[++i].split(","));
          case "--no-loki" -> loki = false;
          case "--no-node-agent" -> node = false;
          case "--warmup" -> warmup = Long.parseLong(args[++i].replace("_", ""));
          case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + a
                      + " (--work DIR, --messages N, --udp-messages N, --runs N, --connections 1,4,64,"
                      + " --no-udp, --targets vigil,vigil-no-archive,rsyslog,syslog-ng, --no-loki, --no-node-agent,"
                      + " --warmup N, --jfr DIR)");
        }
      }
      return new Options(
          work, messages, udpMessages, runs, conns, udp, targets, loki, node, warmup, jfr);
    }
  }

  /** One timed run. */
  record Run(
      String scenario,
      String target,
      int run,
      long sent,
      long written,
      double rate,
      double seconds,
      long cpuTicks,
      long systemTicks) {
    double cpuMicrosPerMessage() {
      return written == 0 ? Double.NaN : cpuTicks * (1e6 / Proc.TICKS_PER_SECOND) / written;
    }

    double cores() {
      return cpuTicks / (double) Proc.TICKS_PER_SECOND / seconds;
    }

    long lost() {
      return sent - written;
    }
  }

  /** Memory of one target process over a scenario, in KiB. */
  record Memory(long idle, long peak, long after) {}

  private static final Map<String, Memory> MEMORY = new LinkedHashMap<>();
  private static final List<Run> RUNS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Files.createDirectories(o.work());
    Machine.print();
    if (o.jfr() != null) {
      Files.createDirectories(o.jfr());
      System.out.println(
          "PROFILING: the gateway records a flight recording into "
              + o.jfr()
              + " (figures of this run are not comparable)");
    }
    List<String> scenarios = new ArrayList<>();
    for (int c : o.connections()) {
      scenarios.add("tcp×" + c);
    }
    if (o.udp()) {
      scenarios.add("udp");
    }
    for (String scenario : scenarios) {
      scenario(o, scenario);
    }
    if (o.loki()) {
      LokiPhase.run(o);
    }
    if (o.nodeAgent()) {
      nodeAgent(o);
    }
    Report.print(o, RUNS, MEMORY);
  }

  private static BenchTarget start(Options o, String target, String scenario) throws Exception {
    Path dir = o.work().resolve(target);
    return switch (target) {
      case "vigil", "vigil-no-archive" ->
          BenchTarget.gateway(
              target,
              dir,
              new BenchTarget.GatewayConfig(
                  target.equals("vigil"),
                  "http://127.0.0.1:9/",
                  List.of(),
                  jfrOpts(o, target + "-" + scenario)));
      case "rsyslog" -> BenchTarget.rsyslog(dir);
      case "syslog-ng" -> BenchTarget.syslogNg(dir);
      default -> throw new IllegalArgumentException("unknown target " + target);
    };
  }

  static String jfrOpts(Options o, String name) {
    if (o.jfr() == null) {
      return null;
    }
    String file = o.jfr().resolve(name.replace('×', 'x') + ".jfr").toString();
    return "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true";
  }

  /**
   * One scenario: every target started, idle memory taken, warmed up, then the runs interleaved
   * (run 1 of every target, then run 2, ...), so a change in the machine's load falls on all.
   */
  private static void scenario(Options o, String scenario) throws Exception {
    boolean udp = scenario.equals("udp");
    int conns = udp ? 4 : Integer.parseInt(scenario.substring(4));
    System.out.println();
    System.out.println(
        "== "
            + scenario
            + (udp
                ? " (" + o.udpMessages() + " datagrams per run)"
                : " ("
                    + o.messages()
                    + " messages per run over "
                    + conns
                    + " connection"
                    + (conns == 1 ? "" : "s")
                    + ")"));
    Map<String, BenchTarget> running = new LinkedHashMap<>();
    Map<String, Long> idle = new LinkedHashMap<>();
    try {
      for (String t : o.targets()) {
        running.put(t, start(o, t, scenario));
      }
      // Settled: the JVM's start-up work is over.
      Thread.sleep(3000);
      for (var e : running.entrySet()) {
        idle.put(e.getKey(), Proc.rssKb(e.getValue().pid()));
      }
      BenchLoad warm = BenchLoad.pool("warmup", Instant.now());
      for (BenchTarget t : running.values()) {
        long base = t.counter().count();
        warm.sendTcp(t.port, o.warmup(), conns);
        awaitCount(t, base + o.warmup());
        if (udp) {
          long b = t.counter().count();
          warm.sendUdp(t.port, 100_000);
          awaitStable(t, b + 100_000, System.nanoTime());
        }
      }
      BenchLoad load = BenchLoad.pool("bench", Instant.now());
      for (int r = 1; r <= o.runs(); r++) {
        for (BenchTarget t : running.values()) {
          Run run =
              udp
                  ? udpRun(t, load, o.udpMessages(), r)
                  : tcpRun(t, load, o.messages(), conns, scenario, r);
          RUNS.add(run);
          System.out.printf(
              Locale.ROOT,
              "   run %d %-17s %,11.0f msg/s  %6.2f s  cpu %5.2f cores %6.2f µs/msg (%2.0f %% system)  lost %d%n",
              r,
              t.name,
              run.rate(),
              run.seconds(),
              run.cores(),
              run.cpuMicrosPerMessage(),
              100.0 * run.systemTicks() / Math.max(1, run.cpuTicks()),
              run.lost());
        }
      }
      Thread.sleep(3000);
      for (var e : running.entrySet()) {
        long pid = e.getValue().pid();
        Memory m = new Memory(idle.get(e.getKey()), Proc.peakRssKb(pid), Proc.rssKb(pid));
        MEMORY.put(scenario + "/" + e.getKey(), m);
        System.out.printf(
            Locale.ROOT,
            "   %-17s RSS idle %.0f MiB, peak %.0f MiB, after the runs %.0f MiB%n",
            e.getKey(),
            m.idle() / 1024.0,
            m.peak() / 1024.0,
            m.after() / 1024.0);
      }
    } finally {
      for (BenchTarget t : running.values()) {
        t.close();
      }
      for (String t : o.targets()) {
        BenchTarget.fresh(o.work().resolve(t));
      }
    }
  }

  /**
   * Counts (time, messages) while {@code load} runs; returns the samples when target is reached.
   */
  private static Run tcpRun(
      BenchTarget t, BenchLoad load, long n, int conns, String scenario, int r) throws Exception {
    OutputCounter counter = t.counter();
    long base = counter.count();
    long[] cpu0 = Proc.userSystemTicks(t.pid());
    long t0 = System.nanoTime();
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread sender =
        new Thread(
            () -> {
              try {
                load.sendTcp(t.port, n, conns);
              } catch (Exception e) {
                failed.set(e);
              }
            },
            "bench-sender");
    sender.start();
    Samples s = new Samples(t0);
    long target = base + n;
    long deadline = t0 + TIMEOUT_NS;
    long lastChange = t0;
    long last = base;
    while (true) {
      long now = System.nanoTime();
      long c = counter.count();
      s.add(now, c - base);
      if (c != last) {
        last = c;
        lastChange = now;
      }
      if (c >= target
          || now > deadline
          || (!sender.isAlive() && now - lastChange > TimeUnit.SECONDS.toNanos(10))) {
        break;
      }
      Thread.sleep(10);
    }
    long[] cpu1 = Proc.userSystemTicks(t.pid());
    sender.join(TimeUnit.SECONDS.toMillis(30));
    if (failed.get() != null) {
      throw new IOException(t.name + ": sending failed", failed.get());
    }
    long written = last - base;
    double rate = s.rateBetween(0.1 * n, 0.9 * n);
    return new Run(
        scenario,
        t.name,
        r,
        n,
        written,
        rate,
        (s.lastChangeNanos() - t0) / 1e9,
        cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1],
        cpu1[1] - cpu0[1]);
  }

  private static Run udpRun(BenchTarget t, BenchLoad load, long n, int r) throws Exception {
    long base = t.counter().count();
    long[] cpu0 = Proc.userSystemTicks(t.pid());
    long t0 = System.nanoTime();
    load.sendUdp(t.port, n);
    long[] end = awaitStable(t, base + n, t0);
    long[] cpu1 = Proc.userSystemTicks(t.pid());
    long got = end[0] - base;
    double secs = (end[1] - t0) / 1e9;
    return new Run(
        "udp",
        t.name,
        r,
        n,
        got,
        got / secs,
        secs,
        cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1],
        cpu1[1] - cpu0[1]);
  }

  /** Waits until the count reaches {@code target} (bounded); fails if it does not. */
  static long awaitCount(BenchTarget t, long target) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    long c;
    while ((c = t.counter().count()) < target) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            t.name
                + " wrote "
                + c
                + " of "
                + target
                + " messages within "
                + TIMEOUT_NS / 1_000_000_000
                + " s");
      }
      Thread.sleep(10);
    }
    return c;
  }

  /**
   * Waits until the count reaches {@code target} or stops moving for 2 s (UDP drops); returns the
   * count and when it last moved.
   */
  static long[] awaitStable(BenchTarget t, long target, long since) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    long c = t.counter().count();
    long changed = System.nanoTime();
    while (c < target
        && System.nanoTime() < deadline
        && System.nanoTime() - changed < 2_000_000_000L) {
      Thread.sleep(10);
      long now = t.counter().count();
      if (now != c) {
        c = now;
        changed = System.nanoTime();
      }
    }
    return new long[] {c, Math.max(changed, since + 1)};
  }

  /** (time, count) samples of one run. */
  static final class Samples {
    private final long t0;
    private long[] times = new long[4096];
    private long[] counts = new long[4096];
    private int n;

    Samples(long t0) {
      this.t0 = t0;
    }

    void add(long t, long c) {
      if (n == times.length) {
        times = Arrays.copyOf(times, 2 * n);
        counts = Arrays.copyOf(counts, 2 * n);
      }
      times[n] = t;
      counts[n++] = c;
    }

    /** When the count first reached {@code c}, interpolated between samples. */
    double timeOf(double c) {
      long prevT = t0;
      long prevC = 0;
      for (int i = 0; i < n; i++) {
        if (counts[i] >= c) {
          if (counts[i] == prevC) {
            return times[i];
          }
          return prevT + (times[i] - prevT) * ((c - prevC) / (double) (counts[i] - prevC));
        }
        prevT = times[i];
        prevC = counts[i];
      }
      return Double.NaN;
    }

    double rateBetween(double from, double to) {
      return (to - from) / ((timeOf(to) - timeOf(from)) / 1e9);
    }

    long lastChangeNanos() {
      for (int i = n - 1; i > 0; i--) {
        if (counts[i] != counts[i - 1]) {
          return times[i];
        }
      }
      return n > 0 ? times[n - 1] : t0;
    }
  }

  /**
   * The node agent (time probe and power manager, no syslog) as the node unit runs it, against an
   * NTP responder of this process on loopback: resident memory once settled and its peak.
   */
  private static void nodeAgent(Options o) throws Exception {
    Path dir = BenchTarget.fresh(o.work().resolve("node-agent"));
    int api = dev.vigil.testing.syslog.SyslogDaemon.freePort();
    int http = dev.vigil.testing.syslog.SyslogDaemon.freePort();
    Path token = dir.resolve("power-token");
    Files.writeString(token, "bench-token-0123456789\n");
    try (NtpResponder upstream =
        NtpResponder.builder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .port(0)
            .stratum(2)
            .buildAndStart()) {
      int mesh = BenchTarget.freePort();
      Path spec = dir.resolve("vigil.yaml");
      Files.writeString(
          spec,
          String.join(
              "\n",
              "apiVersion: vigil.dev/v1",
              "kind: Station",
              "cluster: {name: bench}",
              "nodes:",
              "  - {name: a, address: 127.0.0.1, role: control-plane}",
              "syslog: {enabled: false}",
              "time:",
              "  upstream: [\"127.0.0.1:" + upstream.getPort() + "\"]",
              "  probe: {interval: 16s, samplesPerServer: 2, timeout: 1s, peerPort: "
                  + mesh
                  + ", responder: true,"
                  + " responderPort: "
                  + mesh
                  + ", chrony: false}",
              "power:",
              "  enabled: true",
              "  dryRun: true",
              "  controller: a",
              "  api: {address: 127.0.0.1, port: " + api + ", token: {file: " + token + "}}",
              "  nodes:",
              "    a: {sleepable: false}",
              ""));
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of("vigil").toAbsolutePath().toString(),
              "agent",
              "-f",
              spec.toString(),
              "--node",
              "a",
              "--services",
              "time,power",
              "--data-dir",
              dir.resolve("data").toString(),
              "--http-address",
              "127.0.0.1",
              "--http-port",
              "" + http);
      pb.environment().remove("VIGIL_JAVA_OPTS");
      pb.environment().remove("VIGIL_AGENT_JAVA_OPTS");
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      Process p =
          pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
      try {
        // Two probe rounds and the power manager's checks: what a node agent does all day.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        long[] rss = new long[0];
        while (System.nanoTime() < deadline && p.isAlive()) {
          Thread.sleep(5000);
          rss = Arrays.copyOf(rss, rss.length + 1);
          rss[rss.length - 1] = Proc.rssKb(p.pid());
        }
        if (!p.isAlive()) {
          throw new IOException(
              "node agent exited:\n" + Files.readString(dir.resolve("agent.out")));
        }
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "node agent (time + power): RSS every 5 s %s MiB; peak %.0f MiB; NTP requests answered %d%n",
            Arrays.stream(rss)
                .mapToObj(k -> String.format(Locale.ROOT, "%.0f", k / 1024.0))
                .toList(),
            Proc.peakRssKb(p.pid()) / 1024.0,
            upstream.answered());
        Report.nodeAgent(rss[rss.length - 1], Proc.peakRssKb(p.pid()));
      } finally {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * Sends {@code rate} messages of priority {@code pri} a second over one connection for {@code
   * seconds}, each with its send time.
   */
  static void steady(int port, int rate, int seconds, int pri) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      long start = System.nanoTime();
      long total = (long) rate * seconds;
      String stamp = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
      for (long i = 0; i < total; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          if (wait > 2_000_000) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait - 1_000_000);
          } else {
            Thread.onSpinWait();
          }
        }
        String line =
            "<"
                + pri
                + ">1 "
                + stamp
                + " host-lat bench - - - sent="
                + System.nanoTime()
                + " i="
                + i
                + "\n";
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
  }
}
