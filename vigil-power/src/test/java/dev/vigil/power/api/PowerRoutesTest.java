package dev.vigil.power.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.http.Request;
import dev.vigil.http.Response;
import dev.vigil.power.PowerStatus;
import dev.vigil.power.WakeCoordinator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The routes without any server: what a request gets is decided here alone. */
class PowerRoutesTest {
  private static final String TOKEN = "s3cret-token";

  /** Records wake requests; answers BACKOFF for "tired", unknown node for "nosuch". */
  private static final class Control implements PowerControl {
    final List<String> wakes = new ArrayList<>();

    @Override
    public PowerStatus status() {
      return new PowerStatus(
          "master",
          "master",
          false,
          List.of(
              new PowerStatus.NodeStatus(
                  "media",
                  "sleeping",
                  true,
                  false,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  List.of())));
    }

    @Override
    public WakeCoordinator.Admission requestWake(String node, String reason) {
      if (node.equals("nosuch")) {
        throw new IllegalArgumentException("unknown node 'nosuch'");
      }
      wakes.add(node + ": " + reason);
      return node.equals("tired")
          ? WakeCoordinator.Admission.BACKOFF
          : WakeCoordinator.Admission.STARTED;
    }

    @Override
    public Duration retryAfter(String node) {
      return Duration.ofMillis(42_500);
    }
  }

  private final Control control = new Control();
  private final PowerRoutes routes = new PowerRoutes(control, BearerToken.of(Optional.of(TOKEN)));

  private static Request request(String method, String path, String... headers) {
    Map<String, List<String>> h = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
    }
    return new Request(method, path, h, null, "192.0.2.7");
  }

  private static String body(Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void statusIsRefusedWithoutTheTokenAndServedWithIt() {
    Response none = routes.handle(request("GET", "/api/v1/power/status"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"vigil-power\"");
    assertThat(body(none)).doesNotContain("media");

    Response wrong =
        routes.handle(request("GET", "/api/v1/power/status", "Authorization", "Bearer nope"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers().get("WWW-Authenticate")).contains("error=\"invalid_token\"");

    Response ok =
        routes.handle(request("GET", "/api/v1/power/status", "Authorization", "Bearer " + TOKEN));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.headers()).containsEntry("Content-Type", "application/json");
    assertThat(body(ok)).contains("\"name\" : \"media\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bearer " + TOKEN,
        "bearer " + TOKEN,
        "BEARER " + TOKEN,
        "BeArEr " + TOKEN,
        "Bearer   " + TOKEN,
        " Bearer " + TOKEN + " "
      })
  void theSchemeNameIsCaseInsensitive(String authorization) {
    assertThat(
            routes
                .handle(request("GET", "/api/v1/power/status", "authorization", authorization))
                .status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        TOKEN,
        "Basic " + TOKEN,
        "Bearerx " + TOKEN,
        "Bearer " + TOKEN + "x",
        "Bearer x" + TOKEN,
        "Bearer " + TOKEN + " extra"
      })
  void anythingElseIsRefused(String authorization) {
    Response r =
        routes.handle(request("POST", "/api/v1/nodes/media/wake", "Authorization", authorization));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers().get("WWW-Authenticate")).startsWith("Bearer realm=");
    assertThat(control.wakes).isEmpty();
  }

  @Test
  void twoAuthorizationHeadersAreRefusedEvenIfOneIsRight() {
    Response r =
        routes.handle(
            request(
                "GET",
                "/api/v1/power/status",
                "Authorization",
                "Bearer wrong",
                "Authorization",
                "Bearer " + TOKEN));
    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void withoutAConfiguredTokenEveryRouteIsRefused() {
    PowerRoutes open = new PowerRoutes(control, BearerToken.of(Optional.empty()));
    Response status =
        open.handle(request("GET", "/api/v1/power/status", "Authorization", "Bearer "));
    assertThat(status.status()).isEqualTo(403);
    assertThat(body(status)).contains("no token configured (power.api.token)");
    assertThat(open.handle(request("POST", "/api/v1/nodes/media/wake")).status()).isEqualTo(403);
    assertThat(control.wakes).isEmpty();
  }

  @Test
  void wakeAdmissionsAndErrors() {
    String auth = "Bearer " + TOKEN;
    Response started =
        routes.handle(request("POST", "/api/v1/nodes/media/wake", "Authorization", auth));
    assertThat(started.status()).isEqualTo(202);
    assertThat(body(started)).contains("\"admission\" : \"started\"");
    assertThat(control.wakes).containsExactly("media: api request from 192.0.2.7");

    Response backoff =
        routes.handle(request("POST", "/api/v1/nodes/tired/wake", "Authorization", auth));
    assertThat(backoff.status()).isEqualTo(429);
    assertThat(backoff.headers()).containsEntry("Retry-After", "42");
    assertThat(body(backoff)).contains("\"retryAfterSeconds\" : 42");

    assertThat(
            routes
                .handle(request("POST", "/api/v1/nodes/nosuch/wake", "Authorization", auth))
                .status())
        .isEqualTo(404);
    Response get = routes.handle(request("GET", "/api/v1/nodes/media/wake"));
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.headers()).containsEntry("Allow", "POST");
    assertThat(routes.handle(request("POST", "/api/v1/power/status")).headers())
        .containsEntry("Allow", "GET");
    assertThat(routes.handle(request("GET", "/api/v1/nodes/a/b/wake")).status()).isEqualTo(404);
    assertThat(routes.handle(request("GET", "/api/v1/power/status/more")).status()).isEqualTo(404);
  }

  @Test
  void prefixesCoverEveryRoute() {
    assertThat(routes.pathPrefixes())
        .allMatch(p -> p.startsWith("/api/v1/"))
        .anyMatch("/api/v1/power/status"::startsWith)
        .anyMatch("/api/v1/nodes/media/wake"::startsWith);
  }
}
