package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loki as the checklists ask: ready; recent entries from each source that writes to it (pods and
 * the journal through Alloy, syslog through the gateway); and the syslog path end to end — a
 * message with a fresh token sent to the gateway must be found in Loki within a bound. A
 * multi-tenant Loki is asked as the stack's own tenant.
 */
public final class LokiChecks {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TARGET = "loki";

  /** The app name of the end-to-end probe message: its stream label in Loki. */
  public static final String PROBE_APP = "vigil-verify";

  /** Sleeps between the end-to-end probe's queries; tests pass a real one too, bounded. */
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private LokiChecks() {}

  static Map<String, String> headers(Expectations ex) {
    Map<String, String> h = new LinkedHashMap<>();
    ex.lokiTenant().ifPresent(t -> h.put("X-Scope-OrgID", t));
    return h;
  }

  public static List<Check> run(
      String url, Expectations ex, ServiceHttp http, Clock clock, Duration window) {
    List<Check> out = new ArrayList<>();
    try {
      ServiceHttp.Response r = http.get(url + "/ready", Map.of());
      boolean ready = r.status() == 200 && r.body().strip().equals("ready");
      out.add(
          new Check(
              TARGET,
              "ready",
              ready ? Verdict.PASS : Verdict.FAIL,
              ready ? "ready" : r.brief(),
              "ready",
              ""));
      if (!ready) {
        return out;
      }
    } catch (IOException e) {
      out.add(
          new Check(
              TARGET,
              "ready",
              Verdict.UNKNOWN,
              "",
              "",
              "cannot reach " + url + ": " + e.getMessage()));
      return out;
    }
    for (Expectations.LogSource s : ex.logSources()) {
      out.add(recent(url, ex, http, clock, window, s));
    }
    return out;
  }

  static Check recent(
      String url,
      Expectations ex,
      ServiceHttp http,
      Clock clock,
      Duration window,
      Expectations.LogSource s) {
    String check = "recent " + s.name() + " entries";
    Instant now = clock.instant();
    try {
      JsonNode streams =
          query(url, ex, http, s.selector(), now.minus(window), now.plusSeconds(60), 1);
      long newest = 0;
      for (JsonNode st : streams) {
        for (JsonNode v : st.path("values")) {
          newest = Math.max(newest, Long.parseLong(v.path(0).asText("0")));
        }
      }
      if (newest == 0) {
        return new Check(
            TARGET,
            check,
            Verdict.FAIL,
            "none in " + dev.vigil.base.DurationText.format(window),
            "at least one",
            "nothing from " + s.from() + " matches " + s.selector());
      }
      Duration age =
          Duration.between(
              Instant.ofEpochSecond(newest / 1_000_000_000L, newest % 1_000_000_000L), now);
      return new Check(
          TARGET,
          check,
          Verdict.PASS,
          "newest " + Math.max(0, age.toSeconds()) + "s ago",
          "within " + dev.vigil.base.DurationText.format(window),
          "from " + s.from(),
          (double) Math.max(0, age.toSeconds()));
    } catch (QueryFailed e) {
      return new Check(TARGET, check, Verdict.UNKNOWN, "", "", e.getMessage());
    }
  }

  static final class QueryFailed extends Exception {
    QueryFailed(String message) {
      super(message);
    }
  }

  /** The streams of a range query, newest first. */
  static JsonNode query(
      String url,
      Expectations ex,
      ServiceHttp http,
      String logql,
      Instant from,
      Instant to,
      int limit)
      throws QueryFailed {
    String q =
        url
            + "/loki/api/v1/query_range?query="
            + URLEncoder.encode(logql, StandardCharsets.UTF_8)
            + "&start="
            + nanos(from)
            + "&end="
            + nanos(to)
            + "&limit="
            + limit
            + "&direction=backward";
    try {
      ServiceHttp.Response r = http.get(q, headers(ex));
      if (!r.ok()) {
        throw new QueryFailed(
            "Loki refused "
                + logql
                + ": "
                + r.brief()
                + (r.status() == 401 && ex.lokiTenant().isEmpty()
                    ? " (a multi-tenant Loki wants X-Scope-OrgID)"
                    : ""));
      }
      JsonNode root = JSON.readTree(r.body());
      if (!"success".equals(root.path("status").asText())) {
        throw new QueryFailed("Loki answered " + root.path("status").asText() + " for " + logql);
      }
      return root.path("data").path("result");
    } catch (IOException e) {
      throw new QueryFailed("cannot reach Loki at " + url + ": " + e.getMessage());
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * Sends an RFC 5424 message carrying a fresh token to the gateway over TCP (octet counting, RFC
   * 6587) and looks for it in Loki until {@code bound} ends.
   */
  public static Check syslogEndToEnd(
      String syslogHostPort,
      String lokiUrl,
      Expectations ex,
      ServiceHttp http,
      Clock clock,
      Duration bound,
      Pause pause) {
    String check = "syslog gateway to Loki";
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String token = "vigil-verify-" + HexFormat.of().formatHex(random);
    Instant sent = clock.instant();
    String msg =
        "<14>1 "
            + DateTimeFormatter.ISO_INSTANT.format(sent)
            + " "
            + PROBE_APP
            + " "
            + PROBE_APP
            + " - verify - end-to-end probe "
            + token;
    byte[] body = msg.getBytes(StandardCharsets.UTF_8);
    int colon = syslogHostPort.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              syslogHostPort.substring(0, colon),
              Integer.parseInt(syslogHostPort.substring(colon + 1))),
          (int) Math.min(10_000, bound.toMillis()));
      OutputStream o = s.getOutputStream();
      o.write((body.length + " ").getBytes(StandardCharsets.US_ASCII));
      o.write(body);
      o.flush();
    } catch (IOException | RuntimeException e) {
      return new Check(
          "syslog-gateway",
          check,
          Verdict.FAIL,
          "not sent",
          "",
          "cannot send to the gateway at " + syslogHostPort + ": " + e.getMessage());
    }
    String logql = "{app=\"" + PROBE_APP + "\"} |= \"" + token + "\"";
    String last = "";
    while (true) {
      Instant now = clock.instant();
      try {
        JsonNode streams =
            query(lokiUrl, ex, http, logql, sent.minusSeconds(300), now.plusSeconds(60), 10);
        if (streams.size() > 0) {
          double seconds = Duration.between(sent, clock.instant()).toMillis() / 1000.0;
          return new Check(
              "syslog-gateway",
              check,
              Verdict.PASS,
              String.format(Locale.ROOT, "found after %.1f s", seconds),
              "within " + dev.vigil.base.DurationText.format(bound),
              "message " + token,
              seconds);
        }
      } catch (QueryFailed e) {
        last = e.getMessage();
      }
      if (Duration.between(sent, now).compareTo(bound) >= 0) {
        return new Check(
            "syslog-gateway",
            check,
            Verdict.FAIL,
            "not found",
            "within " + dev.vigil.base.DurationText.format(bound),
            "message "
                + token
                + " sent to "
                + syslogHostPort
                + " is not in Loki"
                + (last.isEmpty() ? "" : " (" + last + ")")
                + ": the gateway cannot push (see vigil_syslog_* metrics) or Loki refuses it");
      }
      try {
        pause.pause(Duration.ofMillis(500));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Check("syslog-gateway", check, Verdict.UNKNOWN, "", "", "interrupted");
      }
    }
  }
}
