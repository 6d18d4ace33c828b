package dev.vigil.render.nginx;

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

class NginxExporterRendererTest {
  static final String SERVERS =
      "integrations:\n  nginx:\n"
          + "    - {name: shop, statusUrl: 'http://web.shop.svc:8080/stub_status'}\n"
          + "    - {name: docs, statusUrl: 'https://docs.example.org/nginx_status'}\n";

  private static List<HasMetadata> objects() {
    return new StackRenderer()
        .render(TestStations.with(SERVERS))
        .components()
        .get(NginxExporterRenderer.NAME)
        .objects();
  }

  private static TreeSet<Integer> egress(List<HasMetadata> objects, String name) {
    NetworkPolicy np =
        objects.stream()
            .filter(o -> o instanceof NetworkPolicy && o.getMetadata().getName().equals(name))
            .map(o -> (NetworkPolicy) o)
            .findFirst()
            .orElseThrow();
    TreeSet<Integer> ports = new TreeSet<>();
    np.getSpec()
        .getEgress()
        .forEach(r -> r.getPorts().forEach(p -> ports.add(p.getPort().getIntVal())));
    return ports;
  }

  @Test
  void offWithoutServers() {
    assertThat(new StackRenderer().render(TestStations.defaults()).components())
        .doesNotContainKey(NginxExporterRenderer.NAME);
  }

  @Test
  void oneExporterPerServerReadingItsStatusPageWithCertificatesVerified() {
    List<HasMetadata> objects = objects();
    Deployment docs =
        objects.stream()
            .filter(
                o ->
                    o instanceof Deployment
                        && o.getMetadata().getName().equals("nginx-exporter-docs"))
            .map(o -> (Deployment) o)
            .findFirst()
            .orElseThrow();
    var pod = docs.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("quay.io/nginx/nginx-prometheus-exporter:1.5.3");
    assertThat(c.getArgs())
        .containsExactly(
            "--web.listen-address=:9113",
            "--nginx.scrape-uri=https://docs.example.org/nginx_status",
            "--nginx.ssl-verify");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1001L);
    assertThat(docs.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("vigil.dev/instance", "docs");
  }

  @Test
  void eachExporterReachesOnlyDnsAndItsStatusPagesPort() {
    List<HasMetadata> objects = objects();
    assertThat(egress(objects, "nginx-exporter-shop")).containsExactly(53, 8080);
    assertThat(egress(objects, "nginx-exporter-docs")).containsExactly(53, 443);
  }

  @Test
  void badServersAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nintegrations:\n  nginx:\n"
            + "    - {name: shop, statusUrl: 'web.shop.svc:8080/stub_status'}\n"
            + "    - {name: shop, statusUrl: 'ftp://web/stub_status'}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:6:")
                    .contains("nginx[0].statusUrl")
                    .contains("expected an http:// or https:// URL"))
        .anySatisfy(p -> assertThat(p).contains("nginx[1].name").contains("duplicate nginx name"))
        .anySatisfy(p -> assertThat(p).contains("nginx[1].statusUrl"));
  }
}
