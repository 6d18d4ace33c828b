package dev.vigil.power.trigger;

import dev.vigil.base.NamedThreads;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reports access to watched paths. With {@code inotifywait} (inotify-tools) installed it reports
 * opens, reads and changes as they happen. Without it, it polls: every interval it walks the paths
 * (at most {@link #MAX_ENTRIES} entries, {@link #MAX_DEPTH} levels) and reports when the newest
 * modification time or the number of entries changes — so a pure read is only seen with inotify.
 */
public final class PathWatcher implements Closeable {
  public static final int MAX_ENTRIES = 10_000;
  public static final int MAX_DEPTH = 4;

  private final Process inotify;
  private final ScheduledExecutorService poller;
  private final String mode;

  private PathWatcher(Process inotify, ScheduledExecutorService poller, String mode) {
    this.inotify = inotify;
    this.poller = poller;
    this.mode = mode;
  }

  /** {@code inotifyWait} empty forces polling. */
  public static PathWatcher start(
      List<Path> paths, Optional<Path> inotifyWait, Duration interval, Consumer<String> onAccess)
      throws IOException {
    if (inotifyWait.isPresent()) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  inotifyWait.get().toString(),
                  "-m",
                  "-r",
                  "-e",
                  "access",
                  "-e",
                  "open",
                  "-e",
                  "modify",
                  "-e",
                  "create",
                  "-e",
                  "moved_to",
                  "--format",
                  "%w%f %e"));
      paths.forEach(p -> cmd.add(p.toString()));
      Process p = new ProcessBuilder(cmd).start();
      java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean watching =
          new java.util.concurrent.atomic.AtomicBoolean();
      StringBuilder problems = new StringBuilder();
      // inotifywait reports on stderr when its watches are in place; events before that are lost,
      // so start() returns only then (or reports why it could not).
      NamedThreads.start(
          "vigil-power-inotify-err",
          () -> {
            try (BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
              String line;
              while ((line = r.readLine()) != null) {
                if (line.contains("Watches established")) {
                  watching.set(true);
                  settled.countDown();
                } else if (!line.startsWith("Setting up watches")) {
                  synchronized (problems) {
                    problems.append(line).append('\n');
                  }
                }
              }
            } catch (IOException e) {
              // Process ended.
            }
            settled.countDown();
          });
      NamedThreads.start(
          "vigil-power-inotify",
          () -> {
            try (BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
              String line;
              while ((line = r.readLine()) != null) {
                onAccess.accept("inotify: " + line);
              }
            } catch (IOException e) {
              // Process ended.
            }
          });
      try {
        // Only the "Watches established" line proves the watches are in place: stderr closing
        // (the process exiting) also ends the wait, possibly before isAlive() turns false.
        if (!settled.await(30, TimeUnit.SECONDS) || !watching.get()) {
          p.destroy();
          synchronized (problems) {
            throw new IOException(
                "inotifywait failed on " + paths + ": " + problems.toString().trim());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroy();
        throw new IOException("interrupted while starting inotifywait");
      }
      return new PathWatcher(p, null, "inotify");
    }
    ScheduledExecutorService ses =
        Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("vigil-power-pathpoll"));
    long[] last = snapshot(paths);
    ses.scheduleWithFixedDelay(
        () -> {
          long[] now = snapshot(paths);
          if (now[0] != last[0] || now[1] != last[1]) {
            last[0] = now[0];
            last[1] = now[1];
            onAccess.accept("poll: change under " + paths);
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new PathWatcher(null, ses, "poll");
  }

  /** {newest modification time, entry count}. */
  static long[] snapshot(List<Path> paths) {
    long newest = 0;
    long count = 0;
    for (Path root : paths) {
      try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
        for (Path p : (Iterable<Path>) s.limit(MAX_ENTRIES)::iterator) {
          count++;
          try {
            newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
          } catch (IOException e) {
            // Vanished between listing and stat: the count change already tells.
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        count--;
      }
    }
    return new long[] {newest, count};
  }

  public String mode() {
    return mode;
  }

  @Override
  public void close() {
    if (inotify != null) {
      inotify.destroy();
    }
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
