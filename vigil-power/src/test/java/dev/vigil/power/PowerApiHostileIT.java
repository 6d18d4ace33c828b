package dev.vigil.power;

import dev.vigil.http.Limits;
import dev.vigil.testing.http.HostileHttpSuite;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The hostile-client suite against the power API as a power manager serves it, with the power
 * listener's own limits. Its probe is the authenticated status request {@code vigil power status}
 * sends.
 */
class PowerApiHostileIT extends HostileHttpSuite {
  @Override
  protected Endpoint start() throws Exception {
    String yaml = "enabled: true\napi: {token: {env: T}}\nnodes:\n  master: {sleepable: false}\n";
    PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("master")
            .registry(new PrometheusRegistry())
            .env(Map.of("T", "tok"))
            .api("127.0.0.1", 0)
            .schedule(false)
            .buildAndStart();
    Limits limits = m.apiListener().limits();
    return new Endpoint(
        m.getPort(),
        "GET /api/v1/power/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer tok\r\n"
            + "Connection: close\r\n\r\n",
        200,
        limits.headerTimeout(),
        limits.writeTimeout(),
        limits.maxConnections(),
        limits.maxConnectionsPerSource(),
        limits.maxHeaderBytes(),
        limits.maxBodyBytes(),
        m);
  }
}
