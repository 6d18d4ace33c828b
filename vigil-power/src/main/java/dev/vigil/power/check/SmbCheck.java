package dev.vigil.power.check;

import java.time.Duration;
import java.util.List;

/** Active while Samba lists sessions ({@code smbstatus -b}). */
public final class SmbCheck implements ActivityCheck {
  private final String name;
  private final List<String> command;
  private final Duration timeout;

  public SmbCheck(String name, List<String> command, Duration timeout) {
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
      return ActivityVerdict.error("smbstatus exit " + r.exitCode());
    }
    int sessions = countSessions(r.output());
    return sessions > 0
        ? ActivityVerdict.active(sessions + " SMB session(s)")
        : ActivityVerdict.idle("no SMB sessions");
  }

  /** Session rows follow the dashed separator line of the table. */
  static int countSessions(String output) {
    boolean table = false;
    int n = 0;
    for (String line : output.split("\n")) {
      if (line.startsWith("---")) {
        table = true;
      } else if (table && !line.isBlank()) {
        n++;
      }
    }
    return n;
  }
}
