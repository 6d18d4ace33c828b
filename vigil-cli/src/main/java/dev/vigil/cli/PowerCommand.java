package dev.vigil.cli;

import dev.vigil.base.input.InputException;
import dev.vigil.base.input.InputFiles;
import dev.vigil.power.PowerStatusClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil power status}: the state a running agent's power manager reports. */
@Command(
    name = "power",
    mixinStandardHelpOptions = true,
    description = "Power management of the nodes (autosleep and Wake-on-LAN).",
    subcommands = {PowerCommand.Status.class})
public final class PowerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.INPUT;
  }

  /** Prints each node's state and each check's verdict. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each node's power state, last wake and activity-check verdicts from a running agent.",
        "Formats (-o): table (default), json.",
        "Exit code: 0 shown, 1 agent unreachable or error, 2 usage error."
      })
  public static final class Status implements Callable<Integer> {
    static final String TOKEN_ENV = "VIGIL_POWER_TOKEN";

    @Spec CommandSpec spec;

    @Option(
        names = "--agent",
        defaultValue = "http://127.0.0.1:9797",
        description = "Agent API base URL (default ${DEFAULT-VALUE}).")
    String agent;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description =
            "File holding the API's bearer token (power.api.token); default: $" + TOKEN_ENV + ".")
    Path tokenFile;

    @Mixin FormatOption format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String output = format.resolve(spec, "table", List.of("table", "json"), null);
      Optional<URI> uri = PowerStatusClient.statusUri(agent);
      if (uri.isEmpty()) {
        err.println(
            "vigil power status: --agent must be an http URL such as http://127.0.0.1:9797, got '"
                + InputFiles.printable(agent, 200)
                + "'");
        return ExitCodes.INPUT;
      }
      String token = System.getenv(TOKEN_ENV);
      if (tokenFile != null) {
        try {
          token = InputFiles.readText(tokenFile, 4096).strip();
        } catch (InputException e) {
          err.println("vigil power status: --token-file " + e.getMessage());
          return ExitCodes.INPUT;
        }
      }
      PowerStatusClient.Answer answer =
          PowerStatusClient.fetch(
              uri.get(), token == null || token.isBlank() ? null : token, Duration.ofSeconds(10));
      if (!answer.ok()) {
        err.println("vigil power status: " + answer.error());
        return ExitCodes.FINDINGS;
      }
      if (output.equals("json")) {
        out.println(answer.status().toPrettyString());
      } else {
        PowerStatusClient.printTable(answer.status(), out);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
