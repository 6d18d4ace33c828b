package dev.vigil.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `vigil` command: render, lint, apply and verify an observability stack; run its agent. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Renders a hardened, tested observability stack from one spec, checks manifests against"
        + " its standards, verifies a live stack, and runs the agent the stack needs.",
    subcommands = {
      RenderCommand.class,
      dev.vigil.lint.LintCommand.class,
      dev.vigil.verify.VerifyCommand.class,
      dev.vigil.agent.AgentCommand.class,
      dev.vigil.power.cli.WakeCommand.class,
      dev.vigil.power.cli.PowerCommand.class,
      SchemaCommand.class,
      InitCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Vigil implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line with Vigil's exit-code mapping: 2 for usage errors and unexpected failures. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Vigil());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("vigil: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      if (System.getenv("VIGIL_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      return ExitCodes.INPUT;
    });
    return cl;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = commandLine(out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
