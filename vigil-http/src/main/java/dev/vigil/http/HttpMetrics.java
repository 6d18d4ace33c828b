package dev.vigil.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What the server counts, per listener. Without a registry the counts are kept but not served. */
final class HttpMetrics {
  final Gauge connections;
  final Counter connectionsRejected;
  final Counter responses;
  private final PrometheusRegistry registry;

  HttpMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    Gauge.Builder c =
        Gauge.builder()
            .name("vigil_http_connections")
            .help("Open connections to the HTTP server, per listener.")
            .labelNames("listener");
    Counter.Builder r =
        Counter.builder()
            .name("vigil_http_connections_rejected_total")
            .help(
                "Connections answered 503 and closed on arrival because the listener"
                    + " (reason=listener) or their source address (reason=source) already had"
                    + " the most connections allowed.")
            .labelNames("listener", "reason");
    Counter.Builder s =
        Counter.builder()
            .name("vigil_http_responses_total")
            .help(
                "Responses sent, by status code: 408 for requests too slow to arrive, 413/414/431"
                    + " for ones too large, 503 when the handler pool is full.")
            .labelNames("listener", "code");
    if (registry == null) {
      connections = c.build();
      connectionsRejected = r.build();
      responses = s.build();
    } else {
      connections = c.register(registry);
      connectionsRejected = r.register(registry);
      responses = s.register(registry);
    }
  }

  void unregister() {
    if (registry != null) {
      registry.unregister(connections);
      registry.unregister(connectionsRejected);
      registry.unregister(responses);
    }
  }
}
