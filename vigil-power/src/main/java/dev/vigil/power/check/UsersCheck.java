package dev.vigil.power.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Active while a user is logged in ({@code who}) or logind has a session for a listed user. */
public final class UsersCheck implements ActivityCheck {
  private final String name;
  private final Set<String> ignore;
  private final Duration timeout;
  private final List<String> whoCommand;
  private final List<String> loginctlCommand;

  public UsersCheck(
      String name,
      List<String> ignoreUsers,
      Duration timeout,
      List<String> whoCommand,
      List<String> loginctlCommand) {
    this.name = name;
    this.ignore = Set.copyOf(ignoreUsers);
    this.timeout = timeout;
    this.whoCommand = whoCommand;
    this.loginctlCommand = loginctlCommand;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    List<String> users = new ArrayList<>();
    CommandRunner.Result who = CommandRunner.run(whoCommand, timeout);
    if (who.exitCode() != 0) {
      return ActivityVerdict.error("who exit " + who.exitCode());
    }
    for (String line : who.output().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (!f[0].isEmpty() && !ignore.contains(f[0])) {
        users.add(f[0]);
      }
    }
    if (loginctlCommand != null && !loginctlCommand.isEmpty()) {
      try {
        CommandRunner.Result lc = CommandRunner.run(loginctlCommand, timeout);
        if (lc.exitCode() == 0) {
          for (String line : lc.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // SESSION UID USER SEAT TTY
            if (f.length >= 3 && !ignore.contains(f[2])) {
              users.add(f[2]);
            }
          }
        }
      } catch (java.io.IOException e) {
        // Without logind (containers, minimal hosts) who alone decides.
      }
    }
    List<String> distinct = users.stream().distinct().toList();
    return distinct.isEmpty()
        ? ActivityVerdict.idle("nobody logged in")
        : ActivityVerdict.active("logged in: " + String.join(", ", distinct));
  }
}
