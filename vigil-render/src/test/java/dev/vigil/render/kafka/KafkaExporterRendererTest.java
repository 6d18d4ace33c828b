package dev.vigil.render.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KafkaExporterRendererTest {
  static final String CLUSTER =
      "integrations:\n  kafka:\n"
          + "    - {name: events, brokers: ['kafka-0.kafka.events.svc:9092', 'kafka-1.kafka.events.svc:9092', '10.0.4.9:9094']}\n";

  private static List<HasMetadata> objects() {
    return new StackRenderer()
        .render(TestStations.with(CLUSTER))
        .components()
        .get(KafkaExporterRenderer.NAME)
        .objects();
  }

  @Test
  void offWithoutClusters() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(KafkaExporterRenderer.NAME);
  }

  @Test
  void oneExporterPerClusterBootstrappingFromEveryBroker() {
    Deployment d =
        objects().stream()
            .filter(o -> o instanceof Deployment)
            .map(o -> (Deployment) o)
            .findFirst()
            .orElseThrow();
    assertThat(d.getMetadata().getName()).isEqualTo("kafka-exporter-events");
    var pod = d.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("docker.io/danielqsj/kafka-exporter:v1.9.0");
    assertThat(c.getArgs())
        .containsExactly(
            "--web.listen-address=:9308",
            "--kafka.server=kafka-0.kafka.events.svc:9092",
            "--kafka.server=kafka-1.kafka.events.svc:9092",
            "--kafka.server=10.0.4.9:9094");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void theExporterReachesOnlyDnsAndTheBrokersPorts() {
    NetworkPolicy np =
        objects().stream()
            .filter(o -> o instanceof NetworkPolicy)
            .map(o -> (NetworkPolicy) o)
            .findFirst()
            .orElseThrow();
    TreeSet<Integer> egress = new TreeSet<>();
    np.getSpec()
        .getEgress()
        .forEach(r -> r.getPorts().forEach(p -> egress.add(p.getPort().getIntVal())));
    assertThat(egress).containsExactly(53, 9092, 9094);
  }

  @Test
  void badClustersAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nintegrations:\n  kafka:\n"
            + "    - {name: events, brokers: []}\n"
            + "    - {name: logs, brokers: ['kafka:9092', 'kafka']}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:6:")
                    .contains("kafka[0].brokers")
                    .contains("at least one broker"))
        .anySatisfy(
            p -> assertThat(p).contains("kafka[1].brokers[1]").contains("expected host:port"));
  }
}
