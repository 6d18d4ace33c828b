package dev.vigil.http;

import dev.vigil.testing.http.HostileHttpSuite;
import java.time.Duration;

/** The hostile-client suite against a bare listener with the default limits, headers due in 2s. */
class HttpServerHostileIT extends HostileHttpSuite {
  @Override
  protected Endpoint start() throws Exception {
    Limits limits =
        Limits.defaults()
            .withHeaderTimeout(Duration.ofSeconds(2))
            .withWriteTimeout(Duration.ofSeconds(3));
    HttpServer server =
        HttpServer.builder()
            .listener(
                new Listener(
                    "test",
                    "127.0.0.1",
                    0,
                    java.util.List.of(Routes.of("/probe", false, r -> Response.text(200, "ok\n"))),
                    limits))
            .buildAndStart();
    return new Endpoint(
        server.getPort(),
        "GET /probe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        200,
        limits.headerTimeout(),
        limits.writeTimeout(),
        limits.maxConnections(),
        limits.maxConnectionsPerSource(),
        limits.maxHeaderBytes(),
        limits.maxBodyBytes(),
        server);
  }
}
