package dev.vigil.render.kafka;

import static dev.vigil.render.grafana.dashboard.Target.prometheus;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.DashboardDefinition;
import dev.vigil.render.grafana.dashboard.Panel;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.grafana.dashboard.Units;
import java.util.Set;

/** Kafka clusters: brokers, messages per topic, consumer lag, replication. */
public final class KafkaDashboard implements DashboardDefinition {
  public static final String UID = "kafka";
  private static final String K = "job=\"" + KafkaExporterRenderer.JOB + "\"";

  /** Any under-replicated partition is red (the alert fires after 10 minutes). */
  static final Thresholds UNDER_REPLICATED = Thresholds.base("green").from(1, "red");

  @Override
  public String uid() {
    return UID;
  }

  @Override
  public Set<String> requires() {
    return Set.of(KafkaExporterRenderer.NAME);
  }

  @Override
  public Dashboard build(Set<String> enabled) {
    return Dashboard.builder(UID, "Kafka")
        .description(
            "Kafka clusters watched through kafka_exporter: brokers, messages per topic, consumer"
                + " group lag and members, under-replicated partitions.")
        .tags("kafka", "messaging")
        .row(
            "Status",
            Panel.stat("Brokers")
                .target(prometheus("kafka_brokers{" + K + "}").legend("{{instance}}"))
                .unit(Units.SHORT),
            Panel.stat("Under-replicated partitions")
                .target(
                    prometheus(
                            "sum by (instance) (kafka_topic_partition_under_replicated_partition{"
                                + K
                                + "})")
                        .legend("{{instance}}"))
                .unit(Units.SHORT)
                .thresholds(UNDER_REPLICATED)
                .colorBackground(),
            Panel.stat("Topics")
                .target(
                    prometheus("count by (instance) (kafka_topic_partitions{" + K + "})")
                        .legend("{{instance}}"))
                .unit(Units.SHORT))
        .row(
            "Messages",
            Panel.timeseries("Messages in by topic")
                .description(
                    "Growth of the partitions' newest offsets: messages written per second.")
                .target(
                    prometheus(
                            "sum by (instance, topic) (rate(kafka_topic_partition_current_offset{"
                                + K
                                + "}[5m]))")
                        .legend("{{instance}} {{topic}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12),
            Panel.timeseries("Messages consumed by group")
                .target(
                    prometheus(
                            "sum by (instance, consumergroup, topic) (rate(kafka_consumergroup_current_offset_sum{"
                                + K
                                + "}[5m]))")
                        .legend("{{instance}} {{consumergroup}} {{topic}}"))
                .unit(Units.OPS_PER_SECOND)
                .width(12))
        .row(
            "Consumers",
            Panel.timeseries("Consumer lag")
                .description("Messages written but not yet consumed, per consumer group and topic.")
                .target(
                    prometheus("kafka_consumergroup_lag_sum{" + K + "}")
                        .legend("{{instance}} {{consumergroup}} {{topic}}"))
                .unit(Units.SHORT)
                .width(12),
            Panel.timeseries("Consumer group members")
                .target(
                    prometheus("kafka_consumergroup_members{" + K + "}")
                        .legend("{{instance}} {{consumergroup}}"))
                .unit(Units.SHORT)
                .width(12))
        .build();
  }
}
