package dev.vigil.render.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.alloy.AlloyRenderer;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchedNamespacesTest {
  static final String WATCH =
      "watch:\n  namespaces:\n"
          + "    - {name: odoo, labels: {team: erp, note: 'say \"hi\" $1'}}\n"
          + "    - {name: keycloak}\n";

  private static Map<String, Object> job(RenderedStack stack, String name) {
    return stack.contributions().scrapeJobs().get("kubernetes").stream()
        .filter(j -> j.get("job_name").equals(name))
        .findFirst()
        .orElse(null);
  }

  @Test
  void withoutWatchedNamespacesAnnotatedServicesEverywhereAndNoPods() {
    RenderedStack stack = new StackRenderer().render(TestStations.defaults());
    assertThat(job(stack, "kubernetes-pods")).isNull();
    assertThat(Yaml.write(job(stack, "kubernetes-service-endpoints"))).doesNotContain("names:");
  }

  @Test
  void watchedNamespacesAreTheOnlyOnesDiscoveredForServicesAndPods() {
    RenderedStack stack = new StackRenderer().render(TestStations.with(WATCH));
    for (String name : List.of("kubernetes-service-endpoints", "kubernetes-pods")) {
      String job = Yaml.write(job(stack, name));
      assertThat(job)
          .as(name)
          .contains(
              "names:\n        - odoo\n        - keycloak",
              "target_label: team",
              "replacement: erp");
    }
  }

  @Test
  void logStreamsOfAWatchedNamespaceCarryItsLabelsQuotedForAlloy() {
    RenderedStack stack = new StackRenderer().render(TestStations.with(WATCH));
    String cfg =
        stack.components().get(AlloyRenderer.NAME).objects().stream()
            .filter(o -> o instanceof ConfigMap)
            .map(o -> ((ConfigMap) o).getData().get("config.alloy"))
            .filter(c -> c != null)
            .findFirst()
            .orElseThrow();
    assertThat(cfg)
        .contains(
            "    regex         = \"odoo\"\n    target_label  = \"team\"\n    replacement   = \"erp\"\n")
        .contains("replacement   = \"say \\\"hi\\\" $$1\"")
        .doesNotContain("regex         = \"keycloak\"");
  }

  @Test
  void badNamespacesAreLocatedErrors() {
    String text =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: c}\nwatch:\n  namespaces:\n"
            + "    - {name: Odoo}\n"
            + "    - {name: odoo, labels: {namespace: x, '__x': y}}\n"
            + "    - {name: odoo}\n";
    var bound = SpecLoader.load(List.of(new Source("vigil.yaml", text)));
    assertThat(bound.problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("vigil.yaml:6:")
                    .contains("namespaces[0].name")
                    .contains("namespace name"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("namespaces[1].labels.namespace")
                    .contains("set by the scrape jobs"))
        .anySatisfy(p -> assertThat(p).contains("namespaces[1].labels.__x").contains("label name"))
        .anySatisfy(
            p -> assertThat(p).contains("namespaces[2].name").contains("duplicate namespace"));
  }
}
