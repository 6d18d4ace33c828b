package dev.vigil.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.power.PowerRendererTest;
import dev.vigil.spec.model.Components;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The registry is the one place a component's facts live; everything else is derived from it. These
 * tests fail when a component is missing anywhere it must appear.
 */
class ComponentRegistryTest {
  private final ComponentRegistry registry = ComponentRegistry.load();

  /**
   * A station with every component on: the homelab example's IPMI nodes, time, syslog, power,
   * FreeIPA, one application server of each integration, and each component's own example overlay.
   */
  private static Station everything() {
    List<String> overlays =
        new ArrayList<>(
            List.of(
                PowerRendererTest.POWER,
                TestStations.EVERY_CLUSTER_PART,
                TestStations.TRACES,
                TestStations.EDGE,
                dev.vigil.render.identity.FreeIpaRendererTest.FREEIPA,
                INTEGRATIONS));
    overlays.addAll(TestStations.componentExamples());
    return TestStations.with(overlays.toArray(String[]::new));
  }

  private static final String INTEGRATIONS =
      "integrations:\n  postgres:\n    - {name: shop-db, dsn: {secret: {name: shop-db-monitoring, key: dsn}}}\n"
          + "  redis:\n    - {name: sessions, address: 'redis.shop.svc:6379'}\n"
          + "  nginx:\n    - {name: shop, statusUrl: 'http://web.shop.svc:8080/stub_status'}\n"
          + "  kafka:\n    - {name: events, brokers: ['kafka-0.kafka.events.svc:9092']}\n"
          + "watch:\n  namespaces:\n    - {name: odoo, labels: {team: erp}}\n";

  /**
   * Every renderer class compiled in this module is registered: one without its service entry
   * ({@code @AutoService}) would render nothing and be missed by every derived list.
   */
  @Test
  void everyRendererClassIsRegistered() throws Exception {
    Path classes = Path.of("target", "classes");
    List<String> found = new ArrayList<>();
    try (var files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, getClass().getClassLoader());
        if (ComponentRenderer.class.isAssignableFrom(type)
            && !type.isInterface()
            && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
          found.add(type.getName());
        }
      }
    }
    assertThat(found).as("renderer classes under %s", classes).hasSizeGreaterThan(1);
    assertThat(registry.renderers().stream().map(r -> r.getClass().getName()))
        .containsExactlyInAnyOrderElementsOf(found);
  }

  @Test
  void everyComponentOfTheSpecHasARendererOfTheSameName() {
    for (var field : Components.class.getRecordComponents()) {
      String name = field.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
      assertThat(registry.renderer(name))
          .as("renderer for components.%s", field.getName())
          .isNotNull();
    }
  }

  @Test
  void dependenciesComeFirst() {
    List<String> order = registry.renderers().stream().map(ComponentRenderer::name).toList();
    for (Component c : registry.components()) {
      for (String dep : c.dependsOn()) {
        assertThat(order.indexOf(dep))
            .as("%s before %s", dep, c.name())
            .isLessThan(order.indexOf(c.name()));
      }
    }
  }

  @Test
  void theAgentImageIsTheOneTheImageModuleBuilds() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    Matcher m = Pattern.compile("<vigil.agent.image>([^<]+)</vigil.agent.image>").matcher(pom);
    assertThat(m.find()).as("vigil.agent.image property in the parent POM").isTrue();
    assertThat(registry.images()).containsEntry("vigil-agent", m.group(1));
    assertThat(Files.readString(Path.of("..", "vigil-image", "pom.xml")))
        .contains("${vigil.agent.image}");
  }

  @Test
  void everyImageIsPinned() {
    registry.images().forEach((name, ref) -> assertThat(ImageRef.pinned(ref)).as(name).isTrue());
  }

  /** What each enabled component declares shows up in the rendered stack, and nothing else does. */
  @Test
  void declaredOutputsAppearWhereTheyMust() throws Exception {
    Station station = everything();
    RenderedStack stack = new StackRenderer(registry).render(station);
    Set<String> enabled = stack.contributions().scrapeJobs().keySet();
    // The operator hand-over replaces Vigil's Prometheus, Alertmanager and Grafana: it has its own
    // test.
    Set<String> all = new TreeSet<>(registry.names());
    all.remove("prometheus-operator");
    assertThat(enabled)
        .as(
            "everything() enables every component (one off by default needs a %s beside its tests)",
            TestStations.COMPONENT_EXAMPLE)
        .containsAll(all);

    ConfigMap promConfig = configMap(stack, "prometheus", "prometheus-config");
    JsonNode prom = Yaml.mapper().readTree(promConfig.getData().get("prometheus.yml"));
    Set<String> jobs = new TreeSet<>();
    prom.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
    Set<String> ruleFiles = configMap(stack, "prometheus", "prometheus-rules").getData().keySet();
    JsonNode datasources =
        Yaml.mapper()
            .readTree(
                configMap(stack, "grafana", "grafana-datasources")
                    .getData()
                    .get("datasources.yaml"));
    Set<String> dsUids = new TreeSet<>();
    datasources.path("datasources").forEach(d -> dsUids.add(d.path("uid").asText()));
    Set<String> dashboards = new TreeSet<>();
    stack.components().get("grafana").objects().stream()
        .filter(
            o ->
                o instanceof ConfigMap
                    && o.getMetadata().getName().startsWith("grafana-dashboard-")
                    && !o.getMetadata().getName().equals("grafana-dashboard-provider"))
        .forEach(
            o ->
                dashboards.add(o.getMetadata().getName().substring("grafana-dashboard-".length())));

    Set<String> declaredJobs = new TreeSet<>();
    Set<String> declaredRules = new TreeSet<>();
    Set<String> declaredDashboards = new TreeSet<>();
    Set<String> declaredDatasources = new TreeSet<>();
    for (Component c : registry.components()) {
      declaredJobs.addAll(c.scrapeJobs());
      declaredRules.addAll(c.ruleFiles());
      declaredDashboards.addAll(c.dashboards());
      c.datasources().forEach(d -> declaredDatasources.add(d.uid()));
      List<HasMetadata> objects =
          stack.components().containsKey(c.name())
              ? stack.components().get(c.name()).objects()
              : List.of();
      boolean statefulSet =
          objects.stream()
              .anyMatch(
                  o ->
                      o instanceof StatefulSet s
                          && s.getSpec().getVolumeClaimTemplates() != null
                          && !s.getSpec().getVolumeClaimTemplates().isEmpty());
      assertThat(statefulSet)
          .as("%s is declared %s", c.name(), c.stateful() ? "stateful" : "stateless")
          .isEqualTo(c.stateful());
      for (ImageRef image : c.images()) {
        assertThat(objects.stream().map(Yaml::write).anyMatch(y -> y.contains(image.reference())))
            .as("%s runs %s", c.name(), image.reference())
            .isTrue();
      }
    }
    Set<String> extra = new TreeSet<>(jobs);
    station.components().prometheus().extraScrapeTargets().forEach(t -> extra.remove(t.name()));
    assertThat(extra).isEqualTo(declaredJobs);
    assertThat(ruleFiles).isEqualTo(declaredRules);
    assertThat(dashboards).isEqualTo(declaredDashboards);
    assertThat(dsUids).isEqualTo(declaredDatasources);
  }

  @Test
  void renderOrderDoesNotChangeTheOutput() {
    Map<String, String> expected = new StackRenderer(registry).render(everything()).files();
    List<ComponentRenderer> shuffled = new ArrayList<>(registry.renderers());
    for (long seed = 1; seed <= 3; seed++) {
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(new StackRenderer(new ComponentRegistry(shuffled)).render(everything()).files())
          .isEqualTo(expected);
    }
  }

  @Test
  void inconsistentDeclarationsAreRefused() {
    ComponentRenderer a =
        fake(Component.named("a").tags(Tag.MONITORING).image("x", "r/x:1").dependsOn("b").build());
    ComponentRenderer b =
        fake(Component.named("b").tags(Tag.MONITORING).image("x", "r/x:2").build());
    assertThatThrownBy(() -> new ComponentRegistry(List.of(a, b)))
        .hasMessage("image x is declared by both a and b");
    ComponentRenderer c = fake(Component.named("c").tags(Tag.MONITORING).dependsOn("d").build());
    ComponentRenderer d = fake(Component.named("d").tags(Tag.MONITORING).dependsOn("c").build());
    assertThatThrownBy(() -> new ComponentRegistry(List.of(c, d)))
        .hasMessage("components depend on each other in a cycle: [c, d]");
    assertThatThrownBy(() -> new ComponentRegistry(List.of(a)))
        .hasMessage("a depends on unknown component b");
    assertThatThrownBy(() -> Component.named("e").tags(Tag.MONITORING).image("e", "r/e:latest"))
        .hasMessageContaining("must be pinned");
  }

  private static ConfigMap configMap(RenderedStack stack, String component, String name) {
    return (ConfigMap)
        stack.components().get(component).objects().stream()
            .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow();
  }

  private static ComponentRenderer fake(Component component) {
    return new ComponentRenderer() {
      @Override
      public Component component() {
        return component;
      }

      @Override
      public boolean enabled(Station station) {
        return true;
      }

      @Override
      public void render(RenderContext ctx, ComponentOutput out) {}
    };
  }
}
