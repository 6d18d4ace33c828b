package dev.vigil.power.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
    return 2;
  }

  /** Prints each node's state and each check's verdict. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each node's power state, last wake and activity-check verdicts from a running agent.",
        "Exit code: 0 shown, 1 agent unreachable or error, 2 usage error."
      })
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--agent",
        defaultValue = "http://127.0.0.1:9797",
        description = "Agent API base URL (default ${DEFAULT-VALUE}).")
    String agent;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json (default ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!output.equals("table") && !output.equals("json")) {
        err.println("vigil power status: --output must be table or json, got '" + output + "'");
        return 2;
      }
      URI uri;
      try {
        uri = URI.create(agent.replaceAll("/+$", "") + "/api/v1/power/status");
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
          throw new IllegalArgumentException("not an http URL");
        }
      } catch (IllegalArgumentException e) {
        err.println(
            "vigil power status: --agent must be an http URL such as http://127.0.0.1:9797, got '"
                + agent
                + "'");
        return 2;
      }
      String body;
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          err.println("vigil power status: " + uri + " answered HTTP " + r.statusCode());
          return 1;
        }
        body = r.body();
      } catch (IOException e) {
        err.println(
            "vigil power status: cannot reach the agent at "
                + agent
                + " ("
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + ")");
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      JsonNode status;
      try {
        status = new ObjectMapper().readTree(body);
      } catch (IOException e) {
        err.println("vigil power status: the agent's answer is not JSON");
        return 1;
      }
      if (output.equals("json")) {
        out.println(status.toPrettyString());
      } else {
        printTable(status, out);
      }
      out.flush();
      return 0;
    }

    static void printTable(JsonNode s, PrintWriter out) {
      out.printf(
          "agent node: %s   controller: %s%s%n",
          text(s.path("localNode")),
          text(s.path("controller")),
          s.path("dryRun").asBoolean() ? "   DRY-RUN" : "");
      String fmt = "%-16s %-9s %-9s %-9s %-10s %-9s %s%n";
      out.printf(
          fmt, "NODE", "STATE", "SLEEPABLE", "IDLE-FOR", "LAST-WAKE", "LATENCY", "LAST-REASON");
      for (JsonNode n : s.path("nodes")) {
        String result = text(n.path("lastWakeResult"));
        int colon = result.indexOf(':');
        out.printf(
            fmt,
            text(n.path("name")),
            text(n.path("state")),
            n.path("sleepable").asBoolean() ? "yes" : "no",
            n.path("idleForSeconds").isNumber() ? n.path("idleForSeconds").asLong() + "s" : "-",
            colon > 0 ? result.substring(0, colon) : result,
            n.path("lastWakeLatencySeconds").isNumber()
                ? n.path("lastWakeLatencySeconds").asDouble() + "s"
                : "-",
            text(n.path("lastWakeReason")));
      }
      for (JsonNode n : s.path("nodes")) {
        if (n.path("checks").isEmpty() && n.path("lastDecision").isMissingNode()) {
          continue;
        }
        if (!n.path("checks").isEmpty()) {
          out.printf("%nchecks on %s:%n", text(n.path("name")));
          for (JsonNode c : n.path("checks")) {
            out.printf(
                "  %-20s %-7s %s%n",
                text(c.path("name")), text(c.path("verdict")), text(c.path("detail")));
          }
        }
        if (n.hasNonNull("lastDecision")) {
          out.printf("  decision: %s%n", text(n.path("lastDecision")));
        }
      }
    }

    private static String text(JsonNode n) {
      return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PowerCommand()).execute(args));
  }
}
