package dev.vigil.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;

/** What the agent shares with its services. */
public record AgentContext(PrometheusRegistry registry, AgentHttpServer http, Path dataDir) {}
