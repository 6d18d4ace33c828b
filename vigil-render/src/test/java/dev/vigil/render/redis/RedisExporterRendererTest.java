package dev.vigil.render.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RedisExporterRendererTest {
  static final String TWO_SERVERS =
      "integrations:\n  redis:\n"
          + "    - {name: sessions, address: 'redis.shop.svc:6379', password: {secret: {name: sessions-redis, key: password}}}\n"
          + "    - {name: queue, address: '10.0.4.7:6380', user: monitor, password: {secret: {name: queue-redis, key: pw}}}\n"
          + "    - {name: cache, address: 'cache.shop.svc:6379'}\n";

  private static List<HasMetadata> objects(RenderedStack stack) {
    return stack.components().get(RedisExporterRenderer.NAME).objects();
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(name))
        .map(o -> (Deployment) o)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void offWithoutServers() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(RedisExporterRenderer.NAME);
  }

  @Test
  void oneExporterPerServerWithItsAddressUserAndPasswordFromItsSecretOnly() {
    List<HasMetadata> objects = objects(new StackRenderer().render(TestStations.with(TWO_SERVERS)));
    var queue = deployment(objects, "redis-exporter-queue").getSpec().getTemplate().getSpec();
    var c = queue.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("quay.io/oliver006/redis_exporter:v1.88.0");
    assertThat(c.getArgs())
        .containsExactly(
            "--web.listen-address=:9121",
            "--redis.addr=redis://10.0.4.7:6380",
            "--connection-timeout=5s",
            "--redis.user=monitor");
    assertThat(c.getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("REDIS_PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("queue-redis");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
            });
    assertThat(queue.getSecurityContext().getRunAsUser()).isEqualTo(59000L);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    // A server without a password gets no password variable at all.
    assertThat(
            deployment(objects, "redis-exporter-cache")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .isNullOrEmpty();
  }

  @Test
  void eachExporterReachesOnlyDnsAndItsServersPort() {
    List<HasMetadata> objects = objects(new StackRenderer().render(TestStations.with(TWO_SERVERS)));
    NetworkPolicy queue =
        objects.stream()
            .filter(
                o ->
                    o instanceof NetworkPolicy
                        && o.getMetadata().getName().equals("redis-exporter-queue"))
            .map(o -> (NetworkPolicy) o)
            .findFirst()
            .orElseThrow();
    TreeSet<Integer> egress = new TreeSet<>();
    queue
        .getSpec()
        .getEgress()
        .forEach(r -> r.getPorts().forEach(p -> egress.add(p.getPort().getIntVal())));
    assertThat(egress).containsExactly(53, 6380);
    assertThat(
            Yaml.write(
                new StackRenderer()
                    .render(TestStations.with(TWO_SERVERS))
                    .contributions()
                    .scrapeJobs()
                    .get(RedisExporterRenderer.NAME)))
        .contains("job_name: redis", "target_label: instance");
  }

  @Test
  void badServersAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nintegrations:\n  redis:\n"
            + "    - {name: sessions, address: 'redis.shop.svc'}\n"
            + "    - {name: sessions, address: 'r:6379', password: {env: REDIS_PW}}\n"
            + "    - {name: queue, address: 'r:99999'}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:6:")
                    .contains("redis[0].address")
                    .contains("expected host:port"))
        .anySatisfy(p -> assertThat(p).contains("redis[1].name").contains("duplicate redis name"))
        .anySatisfy(p -> assertThat(p).contains("redis[1].password").contains("Kubernetes Secret"))
        .anySatisfy(p -> assertThat(p).contains("redis[2].address").contains("expected host:port"));
  }
}
