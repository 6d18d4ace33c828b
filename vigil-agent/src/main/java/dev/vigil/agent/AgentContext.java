package dev.vigil.agent;

import dev.vigil.http.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;

/**
 * What the agent shares with its services: the metrics registry, the agent's one HTTP server (a
 * service that serves HTTP binds its own listener on it) and the data directory.
 */
public record AgentContext(PrometheusRegistry registry, HttpServer http, Path dataDir) {}
