package dev.vigil.power.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Active while a systemd inhibitor lock blocks sleep ({@code systemd-inhibit --list}), e.g. a
 * backup or a package upgrade holding "sleep" in block mode.
 */
public final class InhibitorsCheck implements ActivityCheck {
  private final String name;
  private final List<String> command;
  private final Duration timeout;

  public InhibitorsCheck(String name, List<String> command, Duration timeout) {
    this.name = name;
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    CommandRunner.Result r = CommandRunner.run(command, timeout);
    if (r.exitCode() != 0) {
      return ActivityVerdict.error(
          "systemd-inhibit exit "
              + r.exitCode()
              + ": "
              + r.output().strip().lines().findFirst().orElse(""));
    }
    List<String> blockers = parse(r.output());
    return blockers.isEmpty()
        ? ActivityVerdict.idle("no sleep inhibitors")
        : ActivityVerdict.active("inhibited by " + String.join(", ", blockers));
  }

  /** Rows are WHO UID USER PID COMM WHAT WHY MODE; WHAT is a colon list, MODE block|delay. */
  static List<String> parse(String output) {
    List<String> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("WHO") || t.matches("\\d+ inhibitors? listed\\.?")) {
        continue;
      }
      String[] f = t.split("\\s+");
      if (f.length < 3) {
        continue;
      }
      boolean block = f[f.length - 1].equals("block");
      boolean sleep = false;
      for (String field : f) {
        if (field.matches("[a-z-]+(:[a-z-]+)*") && List.of(field.split(":")).contains("sleep")) {
          sleep = true;
        }
      }
      if (block && sleep) {
        out.add(f[0]);
      }
    }
    return out;
  }
}
