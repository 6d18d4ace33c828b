package dev.vigil.agent.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The gateway pushing to {@link FakeLoki}: the push path's own ceiling (a filled journal drained
 * with Loki answering at once), the rate end to end while receiving, and the latency from send to
 * Loki at a steady 5,000 msg/s under the default batch age and a shorter one for one stream.
 */
final class LokiPhase {
  private LokiPhase() {}

  static void run(SyslogBench.Options o) throws Exception {
    long n = Math.min(o.messages(), 1_000_000);
    Path dir = o.work().resolve("vigil-loki");
    System.out.println();
    System.out.println("== Vigil -> fake Loki (" + n + " messages per run, archive on)");
    List<Double> drain = new ArrayList<>();
    List<Double> drainCpu = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<Double> e2eCpu = new ArrayList<>();
    try (FakeLoki loki = new FakeLoki();
        BenchTarget gw =
            BenchTarget.gateway(
                "vigil",
                dir,
                new BenchTarget.GatewayConfig(
                    true,
                    loki.url(),
                    List.of("timeout: 60s"),
                    SyslogBench.jfrOpts(o, "vigil-loki")))) {
      BenchLoad load = BenchLoad.pool("loki", Instant.now());
      load.sendTcp(gw.port, 200_000, 4);
      awaitEntries(loki, 200_000);
      for (int r = 1; r <= o.runs(); r++) {
        // The journal fills while the fake Loki holds its answer; then the pusher drains it alone.
        loki.hold();
        loki.reset();
        OutputCounter journal = OutputCounter.journal(dir.resolve("data").resolve("journal"));
        long c0 = journal.count();
        load.sendTcp(gw.port, n, 4);
        long deadline = System.nanoTime() + SyslogBench.TIMEOUT_NS;
        while (journal.count() < c0 + n) {
          if (System.nanoTime() > deadline) {
            throw new IOException("the journal did not take " + n + " messages in time");
          }
          Thread.sleep(10);
        }
        long cpu0 = gw.cpuTicks();
        long t0 = System.nanoTime();
        loki.release();
        awaitEntries(loki, n);
        long t1 = loki.lastArrivalNanos();
        long cpu1 = gw.cpuTicks();
        drain.add(n / ((t1 - t0) / 1e9));
        drainCpu.add((cpu1 - cpu0) * (1e6 / Proc.TICKS_PER_SECOND) / n);
        System.out.printf(
            Locale.ROOT,
            "   run %d push path alone: %,.0f entries/s, %.2f µs CPU/entry (%d pushes)%n",
            r,
            drain.get(drain.size() - 1),
            drainCpu.get(drainCpu.size() - 1),
            loki.requests());
      }
      for (int r = 1; r <= o.runs(); r++) {
        loki.reset();
        long cpu0 = gw.cpuTicks();
        long t0 = System.nanoTime();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread sender =
            new Thread(
                () -> {
                  try {
                    load.sendTcp(gw.port, n, 4);
                  } catch (Exception e) {
                    failed.set(e);
                  }
                });
        sender.start();
        awaitEntries(loki, n);
        long t1 = loki.lastArrivalNanos();
        long cpu1 = gw.cpuTicks();
        sender.join();
        if (failed.get() != null) {
          throw failed.get();
        }
        e2e.add(n / ((t1 - t0) / 1e9));
        e2eCpu.add((cpu1 - cpu0) * (1e6 / Proc.TICKS_PER_SECOND) / n);
        System.out.printf(
            Locale.ROOT,
            "   run %d receive + journal + archive + push: %,.0f msg/s end to end, %.2f µs CPU/msg%n",
            r,
            e2e.get(e2e.size() - 1),
            e2eCpu.get(e2eCpu.size() - 1));
      }
      if (loki.rejected() > 0) {
        throw new IOException("the fake Loki could not decode " + loki.rejected() + " pushes");
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Vigil → fake Loki (protobuf + snappy push, answered at once; %,d messages per run): push path alone"
                + " (a filled journal drained) %s entries/s (median %,.0f; %.2f µs CPU per entry); receive + journal"
                + " + archive + push at once %s msg/s end to end (median %,.0f; %.2f µs CPU per message).",
            n,
            list(drain),
            Report.median(toArray(drain)),
            Report.median(toArray(drainCpu)),
            list(e2e),
            Report.median(toArray(e2e)),
            Report.median(toArray(e2eCpu))));
    md.append(
        "\n\nLatency from send to Loki at a steady 5,000 msg/s for 10 s over one connection:");
    latency(o, md, "info messages, the default batch age (`batchWait: 1s`)", 134);
    latency(
        o,
        md,
        "err messages, the default urgent batch age (`urgentSeverity: err`,"
            + " `urgentBatchWait: 100ms`)",
        131);
    Report.extra(md.toString());
  }

  /** Latency of messages of one priority ({@code <pri>}: facility × 8 + severity). */
  private static void latency(SyslogBench.Options o, StringBuilder md, String what, int pri)
      throws Exception {
    Path dir = o.work().resolve("vigil-latency");
    try (FakeLoki loki = new FakeLoki();
        BenchTarget gw =
            BenchTarget.gateway(
                "vigil", dir, new BenchTarget.GatewayConfig(true, loki.url(), List.of(), null))) {
      // The push path compiled first, as on a gateway that has been running.
      BenchLoad.pool("warm", Instant.now()).sendTcp(gw.port, 100_000, 1);
      awaitEntries(loki, 100_000);
      loki.reset();
      loki.recordLatency(true);
      int rate = 5000;
      int seconds = 10;
      long cpu0 = gw.cpuTicks();
      SyslogBench.steady(gw.port, rate, seconds, pri);
      awaitEntries(loki, (long) rate * seconds);
      long cpu1 = gw.cpuTicks();
      long[] l = loki.latencies();
      String line =
          String.format(
              Locale.ROOT,
              "%s: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d entries, %d pushes, %.1f %% of a core)",
              what,
              pct(l, 0.5),
              pct(l, 0.99),
              l.length == 0 ? Double.NaN : l[l.length - 1] / 1e6,
              l.length,
              loki.requests(),
              100.0 * (cpu1 - cpu0) / Proc.TICKS_PER_SECOND / seconds);
      System.out.println("   latency, " + line);
      md.append("\n- ").append(line);
    }
  }

  static void awaitEntries(FakeLoki loki, long n) throws Exception {
    long deadline = System.nanoTime() + SyslogBench.TIMEOUT_NS;
    while (loki.entries() < n) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the fake Loki got "
                + loki.entries()
                + " of "
                + n
                + " entries within "
                + TimeUnit.NANOSECONDS.toSeconds(SyslogBench.TIMEOUT_NS)
                + " s");
      }
      Thread.sleep(5);
    }
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static double[] toArray(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String list(List<Double> l) {
    return l.stream()
        .map(v -> String.format(Locale.ROOT, "%,.0f", v))
        .collect(Collectors.joining(", "));
  }
}
