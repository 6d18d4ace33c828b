package dev.vigil.power;

import dev.vigil.http.Limits;
import dev.vigil.http.Listener;
import dev.vigil.http.Response;
import dev.vigil.http.Routes;
import java.util.List;
import java.util.Map;

/**
 * The power API as a listener of the agent's HTTP server: {@link PowerManager#routes()} and {@code
 * GET /healthz}, at {@code power.api.address:port}. Only the definition: whichever server binds it
 * (the agent's, or the manager's own when it runs alone) enforces its limits.
 */
public final class PowerApi {
  /** The listener's name, as in logs and the {@code listener} label of {@code vigil_http_*}. */
  public static final String LISTENER = "power";

  /** The routes take no bodies larger than this; more is refused (413) before it is read. */
  public static final int MAX_BODY = 64 * 1024;

  private PowerApi() {}

  /**
   * The listener serving {@code routes} at {@code address:port}.
   *
   * @param address an IP literal (checked by the spec at load), so binding resolves nothing
   */
  public static Listener listener(Routes routes, String address, int port) {
    Routes health = Routes.of("/healthz", false, r -> Response.json(200, Map.of("status", "ok")));
    // An operator's CLI and the controller's wake requests: few clients, small requests.
    Limits limits = Limits.defaults().withMaxBodyBytes(MAX_BODY).withMaxConnections(32, 8);
    return new Listener(LISTENER, address, port, List.of(routes, health), limits);
  }
}
