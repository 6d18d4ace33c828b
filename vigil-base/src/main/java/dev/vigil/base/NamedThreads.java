package dev.vigil.base;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with names an operator can read in a thread dump ({@code vigil-syslog-push},
 * {@code vigil-http-2}). Every long-lived thread of Vigil comes from here, so none keeps the JVM
 * alive after {@code main} returns and none is anonymous.
 */
public final class NamedThreads {
  private NamedThreads() {}

  /**
   * A factory whose threads are daemons named {@code name} (the first) and {@code name-2}, {@code
   * name-3}, ... after it.
   */
  public static ThreadFactory daemon(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a thread name is required");
    }
    AtomicInteger count = new AtomicInteger();
    return task -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(task, n == 1 ? name : name + "-" + n);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * As {@link #daemon(String)}, at {@code priority}: background work (compressing old files) that
   * must yield to the work that cannot wait.
   */
  public static ThreadFactory daemon(String name, int priority) {
    ThreadFactory f = daemon(name);
    return task -> {
      Thread t = f.newThread(task);
      t.setPriority(priority);
      return t;
    };
  }

  /** Starts one daemon thread called {@code name} running {@code task}. */
  public static Thread start(String name, Runnable task) {
    Thread t = daemon(name).newThread(task);
    t.start();
    return t;
  }
}
