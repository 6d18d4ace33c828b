package dev.vigil.cli;

import dev.vigil.verify.Verdict;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil verify}: checks a live stack; each aspect is a subcommand. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Check a live stack against the spec's expectations.",
    subcommands = {VerifyTimeCommand.class})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Verdict.UNKNOWN.exitCode();
  }
}
