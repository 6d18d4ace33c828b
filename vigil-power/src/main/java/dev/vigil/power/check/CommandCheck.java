package dev.vigil.power.check;

import java.time.Duration;
import java.util.List;

/**
 * Runs an external command: exit code 0 means active, 1 means idle, anything else (or a timeout) is
 * an error — so a missing program cannot quietly look like idleness.
 */
public final class CommandCheck implements ActivityCheck {
  private final String name;
  private final List<String> command;
  private final Duration timeout;

  public CommandCheck(String name, List<String> command, Duration timeout) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command check needs a program");
    }
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
    String first = r.output().strip().lines().findFirst().orElse("");
    return switch (r.exitCode()) {
      case 0 -> ActivityVerdict.active("exit 0" + (first.isEmpty() ? "" : ": " + first));
      case 1 -> ActivityVerdict.idle("exit 1");
      default ->
          ActivityVerdict.error("exit " + r.exitCode() + (first.isEmpty() ? "" : ": " + first));
    };
  }
}
