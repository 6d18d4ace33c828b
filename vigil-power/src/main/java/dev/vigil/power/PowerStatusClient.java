package dev.vigil.power;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code GET /api/v1/power/status} from a running agent and prints it as the table {@code
 * vigil power status} shows.
 */
public final class PowerStatusClient {
  /** What the agent answered, or why there is no answer. */
  public record Answer(JsonNode status, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * One client for every request: each JDK client keeps its connections open, and a new one per
   * request (a status poll) would pile connections up against the API's per-address limit.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PowerStatusClient() {}

  /**
   * The status endpoint of the agent at {@code agentUrl}, or empty when it is not an http(s) URL.
   */
  public static Optional<URI> statusUri(String agentUrl) {
    try {
      URI uri = URI.create(agentUrl.replaceAll("/+$", "") + "/api/v1/power/status");
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Fetches the status, sending {@code token} as a bearer token when it is not null. */
  public static Answer fetch(URI uri, String token, Duration timeout) {
    String body;
    try {
      HttpClient http = HTTP;
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return new Answer(
            null,
            uri
                + " answered HTTP "
                + r.statusCode()
                + (r.statusCode() == 401
                    ? " (a token is required: --token-file or $VIGIL_POWER_TOKEN)"
                    : ""));
      }
      body = r.body();
    } catch (IOException e) {
      return new Answer(
          null,
          "cannot reach the agent at "
              + uri
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, "interrupted");
    }
    try {
      JsonNode status = new ObjectMapper().readTree(body);
      if (status == null || !status.isObject() || !status.path("nodes").isArray()) {
        return new Answer(
            null, "the agent's answer is not a power status (expected a JSON object with nodes)");
      }
      return new Answer(status, null);
    } catch (IOException e) {
      return new Answer(null, "the agent's answer is not JSON");
    }
  }

  /** Each node's state, then each node's check verdicts and last decision. */
  public static void printTable(JsonNode s, PrintWriter out) {
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
    out.flush();
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? "-" : n.asText();
  }
}
