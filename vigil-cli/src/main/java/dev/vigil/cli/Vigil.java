package dev.vigil.cli;

import dev.vigil.base.input.InputFiles;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The `vigil` command: render, lint, apply and verify an observability stack; run its agent. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Renders a hardened, tested observability stack from one spec, checks manifests against"
            + " its standards, verifies a live stack, and runs the agent the stack needs.",
    subcommands = {
      RenderCommand.class,
      ComponentsCommand.class,
      LintCommand.class,
      ApplyCommand.class,
      DiffCommand.class,
      VerifyCommand.class,
      AgentCommand.class,
      WakeCommand.class,
      PowerCommand.class,
      SchemaCommand.class,
      InitCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Vigil implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description =
          "On an unexpected error, print its stack trace too ($VIGIL_DEBUG does the same).")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A command line with Vigil's exit-code mapping: 2 and one line for usage errors and for anything
   * unexpected, the stack trace only with {@code --debug}.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Vigil());
    configure(cl, out, err);
    return cl;
  }

  /** Output, error stream and exception mapping for the command line and all its subcommands. */
  static void configure(CommandLine cl, PrintWriter out, PrintWriter err) {
    Vigil root = (Vigil) cl.getCommand();
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          unexpected(ex, commandLine.getErr(), root.debug);
          return ExitCodes.INPUT;
        });
  }

  /**
   * Runs {@code vigil ARGS}: the exit code, never an exception. Errors the commands do not expect
   * (a stack overflow, memory exhausted) are one line as well.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return execute(commandLine(out, err), args);
  }

  /** Executes {@code args} on a command line made by {@link #commandLine}. */
  static int execute(CommandLine cl, String[] args) {
    try {
      return cl.execute(args);
    } catch (Throwable t) {
      unexpected(t, cl.getErr(), ((Vigil) cl.getCommand()).debug);
      return ExitCodes.INPUT;
    } finally {
      cl.getOut().flush();
      cl.getErr().flush();
    }
  }

  private static void unexpected(Throwable t, PrintWriter err, boolean debug) {
    String m = t.getMessage();
    boolean trace = debug || System.getenv("VIGIL_DEBUG") != null;
    err.println(
        "vigil: "
            + (t instanceof Error ? "internal error: " : "")
            + (m != null ? InputFiles.printable(m, 500) : t.getClass().getSimpleName())
            + (t instanceof Error ? " (" + t.getClass().getSimpleName() + ")" : "")
            + (trace ? "" : " (--debug shows where)"));
    if (trace) {
      t.printStackTrace(err);
    }
    err.flush();
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }
}
