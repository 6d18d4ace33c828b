package dev.vigil.lint;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Optional;

/**
 * Steady-state throughput for bench/lint: loads and lints a corpus several times in one JVM and
 * prints the rate of the last pass, by the linting thread's CPU time (not the wall clock, which on
 * a shared machine measures the neighbours). Usage: LintThroughput DIR [PASSES].
 */
public final class LintThroughput {
  private LintThroughput() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long rate = 0;
    for (int i = 1; i <= passes; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      Loader.Loaded loaded =
          new Loader(InputStream.nullInputStream(), Optional.empty()).load(List.of(args[0]));
      long c1 = threads.getCurrentThreadCpuTime();
      Report r = new Linter(LintConfig.defaults()).lint(loaded);
      long c2 = threads.getCurrentThreadCpuTime();
      rate = r.objects() * 1_000_000_000L / Math.max(1, c2 - c0);
      System.out.printf(
          "pass %d: parse %d ms, rules %d ms (CPU), %d objects, %d findings, %d objects/s%n",
          i, (c1 - c0) / 1_000_000, (c2 - c1) / 1_000_000, r.objects(), r.findings().size(), rate);
    }
    System.out.println("steady-state objects/s: " + rate);
  }
}
