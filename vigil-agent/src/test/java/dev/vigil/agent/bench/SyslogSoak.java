package dev.vigil.agent.bench;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak of bench/syslog/soak (a program, not a test): the gateway as a user starts it (archive
 * on, pushing to {@link FakeLoki}) receives a steady rate for a long time while its resident set is
 * sampled once a minute. It answers whether memory grows with time under load, which a benchmark of
 * a few seconds per run cannot. It fails (exit 1) when a message is lost or the gateway could not
 * keep up with the rate.
 */
public final class SyslogSoak {
  private SyslogSoak() {}

  public static void main(String[] args) throws Exception {
    int minutes = 30;
    int rate = 50_000;
    int conns = 4;
    Path work = Path.of("target/bench-syslog-soak");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i].replace("_", ""));
        case "--connections" -> conns = Integer.parseInt(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (--minutes N, --rate MSG_PER_S, --connections N, --work DIR)");
      }
    }
    Files.createDirectories(work);
    Machine.print();
    System.out.printf(
        Locale.ROOT,
        "%nsoak: %,d msg/s over %d TCP connections for %d minutes, archive on, pushing to a fake Loki%n",
        rate,
        conns,
        minutes);
    try (FakeLoki loki = new FakeLoki();
        BenchTarget gw =
            BenchTarget.gateway(
                "vigil",
                work.resolve("vigil"),
                new BenchTarget.GatewayConfig(true, loki.url(), List.of(), null))) {
      Thread.sleep(3000);
      long idle = Proc.rssKb(gw.pid());
      System.out.printf(Locale.ROOT, "   idle RSS %.0f MiB%n", idle / 1024.0);
      AtomicLong sent = new AtomicLong();
      AtomicReference<Exception> failed = new AtomicReference<>();
      long start = System.nanoTime();
      long end = start + TimeUnit.MINUTES.toNanos(minutes);
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < conns; c++) {
        int share = rate / conns + (c < rate % conns ? 1 : 0);
        int id = c;
        Thread t =
            new Thread(
                () -> {
                  try {
                    paced(gw.port, share, start, end, "soak-" + id, sent);
                  } catch (Exception e) {
                    failed.compareAndSet(null, e);
                  }
                },
                "soak-sender-" + c);
        t.setDaemon(true);
        t.start();
        senders.add(t);
      }
      List<long[]> samples = new ArrayList<>(); // minute, RSS KiB, cumulative CPU ticks
      long cpu0 = gw.cpuTicks();
      System.out.println("   minute  sent        in Loki     RSS MiB  cores (last minute)");
      long prevCpu = cpu0;
      for (int m = 1; m <= minutes; m++) {
        long due = start + TimeUnit.MINUTES.toNanos(m);
        while (System.nanoTime() < due) {
          Thread.sleep(
              Math.max(1, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()))));
          if (failed.get() != null) {
            throw new IOException("sending failed", failed.get());
          }
        }
        long rss = Proc.rssKb(gw.pid());
        long cpu = gw.cpuTicks();
        samples.add(new long[] {m, rss, cpu});
        System.out.printf(
            Locale.ROOT,
            "   %6d  %,11d %,11d  %7.0f  %5.2f%n",
            m,
            sent.get(),
            loki.entries(),
            rss / 1024.0,
            (cpu - prevCpu) / (double) Proc.TICKS_PER_SECOND / 60);
        prevCpu = cpu;
      }
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      if (failed.get() != null) {
        throw new IOException("sending failed", failed.get());
      }
      long expected = sent.get();
      LokiPhase.awaitEntries(loki, expected);
      double behind = 1 - expected / ((double) rate * minutes * 60);
      long peak = Proc.peakRssKb(gw.pid());
      // Growth: the least-squares slope of RSS over the second half (the first is warm-up: JIT,
      // the heap finding its size), and the largest sample of the second half against the first's.
      List<long[]> second = samples.subList(samples.size() / 2, samples.size());
      double slope = slopeMibPerMinute(second);
      long firstMax =
          samples.subList(0, samples.size() / 2).stream().mapToLong(s -> s[1]).max().orElse(0);
      long secondMax = second.stream().mapToLong(s -> s[1]).max().orElse(0);
      double cores =
          (samples.get(samples.size() - 1)[2] - cpu0)
              / (double) Proc.TICKS_PER_SECOND
              / (minutes * 60.0);
      System.out.printf(
          Locale.ROOT,
          "%nsoak result: %,d messages sent, %,d in Loki, %d lost, sender %.2f %% behind the rate; RSS idle %.0f MiB,"
              + " peak %.0f MiB, max of the first half %.0f MiB, of the second half %.0f MiB, slope over the second half"
              + " %+.2f MiB/min; %.2f cores on average%n",
          expected,
          loki.entries(),
          expected - Math.min(expected, loki.entries()),
          100 * behind,
          idle / 1024.0,
          peak / 1024.0,
          firstMax / 1024.0,
          secondMax / 1024.0,
          slope,
          cores);
      if (loki.rejected() > 0) {
        throw new IOException("the fake Loki could not decode " + loki.rejected() + " pushes");
      }
      if (behind > 0.01) {
        System.out.println(
            "FAILED: the gateway did not keep up with the rate (senders more than 1 % behind)");
        System.exit(1);
      }
    }
  }

  /** Sends {@code rate} messages a second over one connection until {@code end}, in 10 ms steps. */
  private static void paced(int port, int rate, long start, long end, String host, AtomicLong sent)
      throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      StringBuilder sb = new StringBuilder();
      long i = 0;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        long due = (long) ((now - start) / 1e9 * rate);
        if (due <= i) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          continue;
        }
        String stamp = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        sb.setLength(0);
        long first = i;
        for (; i < due; i++) {
          sb.append("<134>1 ")
              .append(stamp)
              .append(' ')
              .append(host)
              .append(" soak 4242 ID47 - steady load from the soak, message i=")
              .append(i)
              .append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        sent.addAndGet(i - first);
      }
      out.flush();
    }
  }

  private static double slopeMibPerMinute(List<long[]> samples) {
    int n = samples.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (long[] s : samples) {
      mx += s[0];
      my += s[1] / 1024.0;
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (long[] s : samples) {
      num += (s[0] - mx) * (s[1] / 1024.0 - my);
      den += (s[0] - mx) * (s[0] - mx);
    }
    return num / den;
  }
}
