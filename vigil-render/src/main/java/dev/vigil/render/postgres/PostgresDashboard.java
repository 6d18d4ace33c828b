package dev.vigil.render.postgres;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** PostgreSQL servers: reachability, connections against the limit, transactions, cache, size. */
public final class PostgresDashboard implements DashboardDefinition {
  public static final String UID = "postgres";
  private static final String PG = "job=\"" + PostgresExporterRenderer.JOB + "\"";

  /** Green to 80% of max_connections, yellow to 95% (the two alerts), red above. */
  static final Thresholds CONNECTIONS =
      Thresholds.base("green").from(0.8, "yellow").from(0.95, "red");

  /** Connections in use against max_connections, per server. */
  static final String CONNECTIONS_USED =
      "sum by (instance) (pg_stat_database_numbackends{"
          + PG
          + "})"
          + " / max by (instance) (pg_settings_max_connections{"
          + PG
          + "})";

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(PostgresExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "PostgreSQL")
        .description(
            "PostgreSQL servers watched through postgres_exporter: reachability, connections,"
                + " transactions, cache hits, deadlocks, database sizes.")
        .tags("postgres", "database")
        .row(
            "Status",
            Panel.stat("Server up")
                .target(prometheus("pg_up{" + PG + "}").legend("{{instance}}"))
                .mapping("1", "Up", "green")
                .mapping("0", "Down", "red")
                .colorBackground(),
            Panel.stat("Connections used")
                .description("Backends connected to databases against max_connections.")
                .target(prometheus(CONNECTIONS_USED).legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .thresholds(CONNECTIONS)
                .colorBackground(),
            Panel.stat("Database size")
                .target(
                    prometheus("sum by (instance) (pg_database_size_bytes{" + PG + "})")
                        .legend("{{instance}}"))
                .unit(Units.BYTES))
        .row(
            "Connections",
            Panel.timeseries("Connections by state")
                .target(
                    prometheus("sum by (instance, state) (pg_stat_activity_count{" + PG + "})")
                        .legend("{{instance}} {{state}}"))
                .stacked()
                .width(12),
            Panel.timeseries("Connections used over time")
                .target(prometheus(CONNECTIONS_USED).legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .thresholds(CONNECTIONS)
                .showThresholds()
                .width(12))
        .row(
            "Work",
            Panel.timeseries("Transactions")
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_xact_commit{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} commits"))
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_xact_rollback{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} rollbacks"))
                .unit(Units.OPS_PER_SECOND)
                .width(8),
            Panel.timeseries("Cache hit ratio")
                .description("Blocks found in shared buffers against blocks read, per server.")
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_blks_hit{"
                                + PG
                                + "}[5m]))"
                                + " / (sum by (instance) (rate(pg_stat_database_blks_hit{"
                                + PG
                                + "}[5m]))"
                                + " + sum by (instance) (rate(pg_stat_database_blks_read{"
                                + PG
                                + "}[5m])))")
                        .legend("{{instance}}"))
                .unit(Units.PERCENT_UNIT)
                .range(0, 1)
                .width(8),
            Panel.timeseries("Rows")
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_tup_fetched{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} fetched"))
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_tup_inserted{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} inserted"))
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_tup_updated{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} updated"))
                .target(
                    prometheus(
                            "sum by (instance) (rate(pg_stat_database_tup_deleted{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} deleted"))
                .unit(Units.OPS_PER_SECOND)
                .width(8))
        .row(
            "Health",
            Panel.timeseries("Deadlocks")
                .target(
                    prometheus(
                            "sum by (instance, datname) (increase(pg_stat_database_deadlocks{"
                                + PG
                                + "}[5m]))")
                        .legend("{{instance}} {{datname}}"))
                .width(12),
            Panel.timeseries("Database sizes")
                .target(
                    prometheus("pg_database_size_bytes{" + PG + "}")
                        .legend("{{instance}} {{datname}}"))
                .unit(Units.BYTES)
                .width(12))
        .build();
  }
}
