package dev.vigil.agent.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The benchmark's results as a markdown section, ready to paste into docs/benchmarks.md. */
final class Report {
  private static final List<String> EXTRA = new ArrayList<>();

  private Report() {}

  static void nodeAgent(long rssKb, long peakKb) {
    EXTRA.add(
        String.format(
            Locale.ROOT,
            "Node agent (time probe + power manager, `vigil agent --services time,power`), after 40 s:"
                + " RSS %.0f MiB, peak %.0f MiB.",
            rssKb / 1024.0,
            peakKb / 1024.0));
  }

  static void extra(String markdown) {
    EXTRA.add(markdown);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static void print(
      SyslogBench.Options o, List<SyslogBench.Run> runs, Map<String, SyslogBench.Memory> memory)
      throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("Syslog gateway benchmark (`bench/syslog/run`), ")
        .append(Machine.date)
        .append("; nproc ")
        .append(Machine.nproc)
        .append("; ")
        .append(Machine.memory.replaceAll(" +", " "))
        .append("; load average ")
        .append(Machine.loadAtStart)
        .append(" at the start, ")
        .append(Machine.loadAverage())
        .append(" at the end; ")
        .append(Machine.java)
        .append("; ")
        .append(Machine.rsyslog)
        .append("; ")
        .append(Machine.syslogNg)
        .append("; ")
        .append(Machine.os)
        .append(".\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d RFC 5424 messages (about 150 bytes, LF-framed) per TCP run, %,d datagrams per UDP run, %d runs per"
                + " target, after a warm-up of %,d messages. msg/s: written to the output over the middle 80 %% of a"
                + " run; CPU: the target process's user + system time over the run.%n%n",
            o.messages(),
            o.udpMessages(),
            o.runs(),
            o.warmup()));
    md.append(
        "| scenario | target | msg/s, each run | median | spread | vs faster peer | CPU µs/msg | CPU cores"
            + " | RSS idle / peak / after, MiB | lost |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    Map<String, List<SyslogBench.Run>> byKey = new LinkedHashMap<>();
    Set<String> scenarios = new LinkedHashSet<>();
    for (SyslogBench.Run r : runs) {
      byKey.computeIfAbsent(r.scenario() + "/" + r.target(), k -> new ArrayList<>()).add(r);
      scenarios.add(r.scenario());
    }
    for (String scenario : scenarios) {
      double fasterPeer = Double.NaN;
      for (String peer : List.of("rsyslog", "syslog-ng")) {
        List<SyslogBench.Run> rs = byKey.get(scenario + "/" + peer);
        if (rs != null) {
          double m = median(rs.stream().mapToDouble(SyslogBench.Run::rate).toArray());
          fasterPeer = Double.isNaN(fasterPeer) ? m : Math.max(fasterPeer, m);
        }
      }
      for (String target : o.targets()) {
        List<SyslogBench.Run> rs = byKey.get(scenario + "/" + target);
        if (rs == null) {
          continue;
        }
        double[] rates = rs.stream().mapToDouble(SyslogBench.Run::rate).toArray();
        double med = median(rates);
        double spread =
            (Arrays.stream(rates).max().orElse(0) - Arrays.stream(rates).min().orElse(0))
                / med
                * 100;
        double cpu =
            median(rs.stream().mapToDouble(SyslogBench.Run::cpuMicrosPerMessage).toArray());
        double cores = median(rs.stream().mapToDouble(SyslogBench.Run::cores).toArray());
        SyslogBench.Memory m = memory.get(scenario + "/" + target);
        String lost =
            scenario.equals("udp")
                ? rs.stream()
                    .map(r -> String.format(Locale.ROOT, "%.1f %%", 100.0 * r.lost() / r.sent()))
                    .collect(Collectors.joining(", "))
                : rs.stream().map(r -> Long.toString(r.lost())).collect(Collectors.joining(", "));
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %,.0f | %.0f %% | %s | %.2f | %.2f | %s | %s |%n",
                scenario.replace("×", " × "),
                target,
                Arrays.stream(rates)
                    .mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v))
                    .collect(Collectors.joining(", ")),
                med,
                spread,
                target.startsWith("vigil") && !Double.isNaN(fasterPeer)
                    ? String.format(Locale.ROOT, "**%.2f×**", med / fasterPeer)
                    : "",
                cpu,
                cores,
                m == null
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "%.0f / %.0f / %.0f",
                        m.idle() / 1024.0,
                        m.peak() / 1024.0,
                        m.after() / 1024.0),
                lost));
      }
    }
    md.append('\n');
    for (String e : EXTRA) {
      md.append(e).append("\n\n");
    }
    System.out.println();
    System.out.println("---- markdown (paste into docs/benchmarks.md) ----");
    System.out.print(md);
    System.out.println("---- end ----");
  }
}
