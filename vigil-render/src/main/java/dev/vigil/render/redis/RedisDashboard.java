package dev.vigil.render.redis;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** Redis servers: reachability, memory against maxmemory, clients, operations, hit rate, keys. */
public final class RedisDashboard implements DashboardDefinition {
  public static final String UID = "redis";
  private static final String R = "job=\"" + RedisExporterRenderer.JOB + "\"";

  /** Green to 90% of maxmemory (the alert), red above. */
  static final Thresholds MEMORY = Thresholds.base("green").from(0.9, "red");

  static final String MEMORY_USED =
      "redis_memory_used_bytes{" + R + "} / (redis_memory_max_bytes{" + R + "} > 0)";
  static final String CLIENTS_USED =
      "redis_connected_clients{" + R + "} / redis_config_maxclients{" + R + "}";
  static final String HIT_RATIO =
      "rate(redis_keyspace_hits_total{"
          + R
          + "}[5m])"
          + " / (rate(redis_keyspace_hits_total{"
          + R
          + "}[5m]) + rate(redis_keyspace_misses_total{"
          + R
          + "}[5m]))";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(RedisExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Redis")
        .description(
            "Redis servers watched through redis_exporter: reachability, memory against maxmemory,"
                + " clients, operations, hit rate, keys, evictions.")
        .tags("redis", "database")
        .row(
            "Status",
            Panel.stat("Server up")
                .target(prometheus("redis_up{" + R + "}").legend("{{instance}}"))
                .mapping("1", "Up", "green")
                .mapping("0", "Down", "red")
                .colorBackground(),
            Panel.stat("Memory used")
                .description(
                    "Used memory against maxmemory; servers without maxmemory show no value.")
                .target(prometheus(MEMORY_USED).legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .thresholds(MEMORY)
                .colorBackground(),
            Panel.stat("Clients")
                .target(prometheus("redis_connected_clients{" + R + "}").legend("{{instance}}"))
                .unit(Units.SHORT))
        .row(
            "Load",
            Panel.timeseries("Operations")
                .target(
                    prometheus("rate(redis_commands_processed_total{" + R + "}[5m])")
                        .legend("{{instance}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(8),
            Panel.timeseries("Hit ratio")
                .description("Key lookups that found their key, against all lookups.")
                .target(prometheus(HIT_RATIO).legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .width(8),
            Panel.timeseries("Network")
                .target(
                    prometheus("rate(redis_net_input_bytes_total{" + R + "}[5m])")
                        .legend("{{instance}} in"))
                .target(
                    prometheus("rate(redis_net_output_bytes_total{" + R + "}[5m])")
                        .legend("{{instance}} out"))
                .unit(Units.BYTES_PER_SECOND)
                .width(8))
        .row(
            "Memory and clients",
            Panel.timeseries("Memory")
                .target(
                    prometheus("redis_memory_used_bytes{" + R + "}").legend("{{instance}} used"))
                .target(
                    prometheus("redis_memory_max_bytes{" + R + "} > 0")
                        .legend("{{instance}} maxmemory"))
                .unit(Units.BYTES)
                .width(8),
            Panel.timeseries("Client slots used")
                .description(
                    "Connected clients against maxclients; past it, new connections are refused.")
                .target(prometheus(CLIENTS_USED).legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .width(8),
            Panel.timeseries("Refused connections")
                .target(
                    prometheus("increase(redis_rejected_connections_total{" + R + "}[5m])")
                        .legend("{{instance}}"))
                .unit(Units.SHORT)
                .width(8))
        .row(
            "Keys",
            Panel.timeseries("Keys by database")
                .target(prometheus("redis_db_keys{" + R + "}").legend("{{instance}} {{db}}"))
                .unit(Units.SHORT)
                .width(12),
            Panel.timeseries("Evicted and expired keys")
                .target(
                    prometheus("rate(redis_evicted_keys_total{" + R + "}[5m])")
                        .legend("{{instance}} evicted"))
                .target(
                    prometheus("rate(redis_expired_keys_total{" + R + "}[5m])")
                        .legend("{{instance}} expired"))
                .unit(Units.OPS_PER_SECOND)
                .width(12))
        .build();
  }
}
