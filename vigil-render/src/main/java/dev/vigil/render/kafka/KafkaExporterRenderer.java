package dev.vigil.render.kafka;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.integrations.Exporters;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.spec.model.IntegrationsSpec;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * kafka_exporter, one per Kafka cluster of {@code integrations.kafka}, bootstrapping from the
 * spec's brokers; scraped as job "kafka".
 */
@AutoService(ComponentRenderer.class)
public final class KafkaExporterRenderer implements ComponentRenderer {
  public static final String NAME = "kafka-exporter";
  public static final String JOB = "kafka";
  static final String ROLE = "kafka-metrics";
  static final int PORT = 9308;

  static final Component COMPONENT =
      Component.named(NAME)
          .image(NAME, "docker.io/danielqsj/kafka-exporter:v1.9.0")
          .tags(Tag.MONITORING)
          .scrapeJobs(JOB)
          .ruleFiles("kafka.rules.yaml")
          .dashboards(new KafkaDashboard())
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  static List<IntegrationsSpec.Kafka> clusters(Station station) {
    return station.integrations() == null ? List.of() : station.integrations().kafka();
  }

  @Override
  public boolean enabled(Station station) {
    return !clusters(station).isEmpty();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(Exporters.scrapeJob(JOB, ctx, ROLE));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    for (IntegrationsSpec.Kafka kafka : clusters(ctx.station())) {
      ComponentObjects kit =
          Exporters.kit(ctx, NAME, kafka.name(), ROLE, ctx.image(COMPONENT, NAME, null));
      List<String> args = new ArrayList<>(List.of("--web.listen-address=:" + PORT));
      TreeSet<Integer> ports = new TreeSet<>();
      for (String broker : kafka.brokers()) {
        args.add("--kafka.server=" + broker);
        ports.add(IntegrationsSpec.port(broker));
      }
      // /healthz answers without asking Kafka; the exporter exits by itself when it cannot reach
      // the brokers at start.
      var container =
          Exporters.container(
                  kit,
                  NAME,
                  PORT,
                  ComponentObjects.resources(kafka.resources(), "20m", "32Mi", "200m", "128Mi"),
                  "/healthz")
              .withArgs(args)
              .build();
      Exporters.render(
          out, kit, kafka.name(), container, 65534, ports.stream().map(NetPol::tcp).toList());
    }
  }
}
