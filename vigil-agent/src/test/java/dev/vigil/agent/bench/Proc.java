package dev.vigil.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about a process: CPU time and resident memory. */
final class Proc {
  /** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
  static final int TICKS_PER_SECOND = 100;

  private Proc() {}

  /** utime + stime of every thread of the process, in clock ticks. */
  static long cpuTicks(long pid) throws IOException {
    long[] t = userSystemTicks(pid);
    return t[0] + t[1];
  }

  /** utime and stime of every thread of the process, in clock ticks. */
  static long[] userSystemTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** Resident set size now, in KiB. */
  static long rssKb(long pid) throws IOException {
    return status(pid, "VmRSS:");
  }

  /** Peak resident set size since start, in KiB. */
  static long peakRssKb(long pid) throws IOException {
    return status(pid, "VmHWM:");
  }

  private static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(key + " not in /proc/" + pid + "/status");
  }
}
