package dev.vigil.power.api;

import dev.vigil.http.Request;
import dev.vigil.http.Response;
import dev.vigil.http.Routes;
import dev.vigil.power.WakeCoordinator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The power manager's HTTP API: {@code GET /api/v1/power/status} and {@code POST
 * /api/v1/nodes/{name}/wake}, both behind the bearer token. Without a configured token both are
 * refused: the status names nodes, addresses seen and who is logged in.
 */
public final class PowerRoutes implements Routes {
  static final String STATUS = "/api/v1/power/status";
  private static final String NODES = "/api/v1/nodes/";
  private static final Pattern WAKE =
      Pattern.compile("^/api/v1/nodes/([A-Za-z0-9._-]{1,253})/wake$");
  private static final String REALM = "Bearer realm=\"vigil-power\"";

  private final PowerControl control;
  private final BearerToken token;

  public PowerRoutes(PowerControl control, BearerToken token) {
    this.control = control;
    this.token = token;
  }

  @Override
  public List<String> pathPrefixes() {
    return List.of(STATUS, NODES);
  }

  @Override
  public Response handle(Request r) {
    if (r.path().equals(STATUS)) {
      return status(r);
    }
    Matcher m = WAKE.matcher(r.path());
    if (m.matches()) {
      return wake(r, m.group(1));
    }
    return error(404, "not found");
  }

  private Response status(Request r) {
    if (!r.method().equals("GET")) {
      return error(405, "use GET").withHeader("Allow", "GET");
    }
    Response refused = authorize(r, "status");
    return refused != null ? refused : Response.json(200, control.status());
  }

  private Response wake(Request r, String node) {
    if (!r.method().equals("POST")) {
      return error(405, "use POST").withHeader("Allow", "POST");
    }
    Response refused = authorize(r, "wake");
    if (refused != null) {
      return refused;
    }
    WakeCoordinator.Admission a;
    try {
      a = control.requestWake(node, "api request from " + r.remoteAddress());
    } catch (IllegalArgumentException e) {
      return error(404, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node);
    body.put("admission", a.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (a == WakeCoordinator.Admission.BACKOFF) {
      long s = Math.max(1, control.retryAfter(node).toSeconds());
      body.put("retryAfterSeconds", s);
      return Response.json(429, body).withHeader("Retry-After", String.valueOf(s));
    }
    return Response.json(202, body);
  }

  /** Null when the request carries the token, else the refusal to send. */
  private Response authorize(Request r, String what) {
    return switch (token.check(r.header("Authorization"))) {
      case ACCEPTED -> null;
      case NOT_CONFIGURED ->
          error(403, what + " API disabled: no token configured (power.api.token)");
      case MISSING -> error(401, "missing bearer token").withHeader("WWW-Authenticate", REALM);
      case WRONG ->
          error(401, "wrong bearer token")
              .withHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
    };
  }

  private static Response error(int status, String message) {
    return Response.json(status, Map.of("error", message));
  }
}
