package dev.vigil.spec;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs one piece of work on a thread of its own, stopped after a time limit, and reports what it
 * cost: wall time and the bytes it allocated. Allocation is counted by the JVM per thread, so it
 * does not depend on how busy the machine is; it bounds memory and, for parsing and binding, work.
 */
final class Budget {
  private Budget() {}

  /** What the work returned and what it cost. */
  record Spent<T>(T value, Duration time, long allocatedBytes) {}

  static <T> Spent<T> run(Duration limit, Callable<T> work) {
    return run(limit, "the work", work);
  }

  /** As {@link #run(Duration, Callable)}; a timeout names {@code what}. */
  static <T> Spent<T> run(Duration limit, String what, Callable<T> work) {
    return assertTimeoutPreemptively(
        limit,
        () -> {
          long before = allocated();
          long start = System.nanoTime();
          T value = work.call();
          Duration time = Duration.ofNanos(System.nanoTime() - start);
          return new Spent<>(value, time, allocated() - before);
        },
        () -> what + " took longer than " + limit.toSeconds() + "s");
  }

  private static long allocated() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
