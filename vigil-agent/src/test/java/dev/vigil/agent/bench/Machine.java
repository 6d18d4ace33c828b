package dev.vigil.agent.bench;

import dev.vigil.testing.syslog.SyslogDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine and the versions a benchmark ran on, printed first and kept for the report. */
final class Machine {
  static String date;
  static String nproc;
  static String memory;
  static String loadAtStart;
  static String java;
  static String rsyslog;
  static String syslogNg;
  static String os;

  private Machine() {}

  static void print() throws Exception {
    date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    nproc = Integer.toString(Runtime.getRuntime().availableProcessors());
    memory = String.join(" / ", run(Map.of(), "free", "-h").lines().limit(2).toList());
    loadAtStart = loadAverage();
    java = firstLine(run(Map.of(), "java", "-version"));
    rsyslog =
        firstLine(run(Map.of(), "rsyslogd", "-v"))
            .replace(" compiled with:", "")
            .replaceAll(" +", " ");
    syslogNg =
        SyslogDaemon.findSyslogNg()
            .map(
                i -> {
                  List<String> cmd = new ArrayList<>(List.of(i.binary().toString(), "--version"));
                  if (i.modulePath() != null) {
                    cmd.add("--module-path=" + i.modulePath());
                  }
                  try {
                    return firstLine(run(i.env(), cmd.toArray(String[]::new)));
                  } catch (Exception e) {
                    return "syslog-ng (version unknown: " + e.getMessage() + ")";
                  }
                })
            .orElse("syslog-ng not found");
    os =
        Files.readAllLines(Path.of("/etc/os-release")).stream()
            .filter(l -> l.startsWith("PRETTY_NAME="))
            .map(l -> l.substring(12).replace("\"", ""))
            .findFirst()
            .orElse("?");
    System.out.println("date:     " + date);
    System.out.println("machine:  nproc " + nproc + "; free -h: " + memory.replaceAll(" +", " "));
    System.out.println("load:     " + loadAtStart + " (1, 5, 15 min) at the start");
    System.out.println("versions: " + java + "; " + rsyslog + "; " + syslogNg + "; " + os);
  }

  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String firstLine(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  private static String run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
