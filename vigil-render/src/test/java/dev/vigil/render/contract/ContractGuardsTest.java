package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.power.PowerRendererTest;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rendered artifact checked against the contracts of the images it runs: each metric a rule
 * or dashboard panel reads is exposed by a pinned component or recorded by a rendered rule; each
 * flag a container passes is one its version accepts; each path its version writes is writable when
 * the root filesystem is read-only.
 */
class ContractGuardsTest {
  /** Series Prometheus makes itself: per target, and for alerts. */
  private static final Set<String> SYNTHETIC =
      Set.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added",
          "ALERTS",
          "ALERTS_FOR_STATE");

  private static final Contracts CONTRACTS = Contracts.load();

  static Map<String, Station> stations() {
    Map<String, Station> m = new LinkedHashMap<>();
    m.put("default", TestStations.defaults());
    m.put(
        "homelab",
        SpecLoader.load(Repo.resolve("examples/homelab/vigil.yaml"), List.of()).orThrow());
    m.put(
        "production",
        SpecLoader.load(Repo.resolve("examples/production/vigil.yaml"), List.of()).orThrow());
    List<String> everything =
        new ArrayList<>(
            List.of(
                PowerRendererTest.POWER,
                TestStations.EVERY_CLUSTER_PART,
                TestStations.TRACES,
                TestStations.EDGE));
    // Each component's own example overlay, so a component added later is guarded too.
    everything.addAll(TestStations.componentExamples());
    m.put("everything", TestStations.with(everything.toArray(String[]::new)));
    m.put(
        "integrations",
        TestStations.with(
            "integrations:\n"
                + "  postgres:\n    - {name: odoo-db, dsn: {secret: {name: odoo-db-monitoring, key: dsn}}}\n"
                + "  redis:\n    - {name: sessions, address: 'redis.shop.svc:6379', user: monitor,"
                + " password: {secret: {name: sessions-redis, key: password}}}\n"
                + "  nginx:\n    - {name: shop, statusUrl: 'https://web.shop.svc:8443/stub_status'}\n"
                + "  kafka:\n    - {name: events, brokers: ['kafka-0.kafka.events.svc:9092', 'kafka-1.kafka.events.svc:9092']}\n"));
    return m;
  }

  @TestFactory
  Stream<DynamicTest> everyMetricReadIsExposedOrRecorded() {
    return stations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      RenderedStack stack = new StackRenderer().render(e.getValue());
                      Map<String, String> exposed = exposedMetrics();
                      Set<String> recorded = new TreeSet<>();
                      Map<String, String> reads = new TreeMap<>();
                      for (String file : stack.contributions().allRuleFiles().values()) {
                        for (JsonNode group : yaml(file).path("groups")) {
                          for (JsonNode rule : group.path("rules")) {
                            if (rule.has("record")) {
                              recorded.add(rule.get("record").asText());
                            }
                            String what =
                                rule.has("alert")
                                    ? "alert " + rule.get("alert").asText()
                                    : "record " + rule.path("record").asText();
                            PromQlNames.of(rule.path("expr").asText())
                                .forEach(n -> reads.putIfAbsent(n, what));
                          }
                        }
                      }
                      stack
                          .contributions()
                          .allDashboards()
                          .forEach(
                              d -> {
                                for (String expr : prometheusExprs(yaml(d.toJson()))) {
                                  PromQlNames.of(expr)
                                      .forEach(n -> reads.putIfAbsent(n, "dashboard " + d.uid()));
                                }
                              });
                      List<String> unknown = new ArrayList<>();
                      reads.forEach(
                          (name, where) -> {
                            if (!SYNTHETIC.contains(name)
                                && !recorded.contains(name)
                                && !known(name, exposed)) {
                              unknown.add(name + " (read by " + where + ")");
                            }
                          });
                      assertThat(unknown)
                          .as("metrics no pinned component exposes and no rule records")
                          .isEmpty();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyFlagIsOneTheVersionAccepts() {
    return stations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      List<String> wrong = new ArrayList<>();
                      for (Map.Entry<String, Container> c :
                          containers(new StackRenderer().render(e.getValue())).entrySet()) {
                        Optional<ImageContract> contract =
                            CONTRACTS.forImage(c.getValue().getImage());
                        if (contract.isEmpty()) {
                          continue;
                        }
                        List<String> words = new ArrayList<>();
                        List<String> command = c.getValue().getCommand();
                        if (command != null && !command.isEmpty()) {
                          String program = command.get(0);
                          boolean own =
                              contract.get().entrypoint().stream()
                                  .anyMatch(
                                      ep ->
                                          ep.equals(program)
                                              || ep.endsWith("/" + program)
                                              || program.endsWith(
                                                  "/" + ep.substring(ep.lastIndexOf('/') + 1)));
                          if (!own) {
                            // Another program of the image (a shell in an init container): not this
                            // contract's flags.
                            continue;
                          }
                          words.addAll(command.stream().skip(1).toList());
                        }
                        if (c.getValue().getArgs() != null) {
                          words.addAll(c.getValue().getArgs());
                        }
                        for (String w : words) {
                          if (!w.startsWith("-") || w.equals("-")) {
                            continue;
                          }
                          String bare = ImageContract.bare(w);
                          boolean ok =
                              contract.get().flag(w).isPresent()
                                  || (bare.startsWith("no-")
                                      && contract
                                          .get()
                                          .flag("--" + bare.substring(3))
                                          .map(ImageContract.Flag::isBoolean)
                                          .orElse(false));
                          if (!ok) {
                            wrong.add(
                                c.getKey()
                                    + ": "
                                    + w
                                    + " is not a flag of "
                                    + contract.get().reference());
                          }
                          if (bare.equals("enable-feature") && w.contains("=")) {
                            for (String value : w.substring(w.indexOf('=') + 1).split(",")) {
                              boolean accepted =
                                  contract.get().featureFlags().stream()
                                      .anyMatch(
                                          f ->
                                              f.name().equals(value)
                                                  && !f.status().equals("unknown"));
                              if (!accepted) {
                                wrong.add(
                                    c.getKey()
                                        + ": --enable-feature="
                                        + value
                                        + " is not a feature "
                                        + contract.get().reference()
                                        + " knows");
                              }
                            }
                          }
                        }
                      }
                      assertThat(wrong).isEmpty();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyPathAVersionWritesIsWritable() {
    return stations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      List<String> wrong = new ArrayList<>();
                      for (Map.Entry<String, Container> c :
                          containers(new StackRenderer().render(e.getValue())).entrySet()) {
                        Container container = c.getValue();
                        Optional<ImageContract> contract = CONTRACTS.forImage(container.getImage());
                        boolean readOnly =
                            container.getSecurityContext() != null
                                && Boolean.TRUE.equals(
                                    container.getSecurityContext().getReadOnlyRootFilesystem());
                        if (contract.isEmpty()
                            || !readOnly
                            || !runsEntrypoint(container, contract.get())) {
                          continue;
                        }
                        List<VolumeMount> mounts =
                            container.getVolumeMounts() == null
                                ? List.of()
                                : container.getVolumeMounts();
                        for (ImageContract.Write w : contract.get().writes()) {
                          if (w.rendered() == null) {
                            continue;
                          }
                          boolean writable =
                              mounts.stream()
                                  .anyMatch(
                                      m ->
                                          !Boolean.TRUE.equals(m.getReadOnly())
                                              && (w.rendered().equals(m.getMountPath())
                                                  || w.rendered()
                                                      .startsWith(m.getMountPath() + "/")));
                          if (!writable) {
                            wrong.add(
                                c.getKey()
                                    + ": read-only root, but "
                                    + contract.get().reference()
                                    + " writes "
                                    + w.rendered()
                                    + " ("
                                    + w.path()
                                    + ")");
                          }
                        }
                      }
                      assertThat(wrong).isEmpty();
                    }));
  }

  /**
   * Programs configured by file reject (Loki) or silently ignore (Grafana) keys they do not have:
   * every key of the rendered loki.yaml is one the pinned version's config structs define.
   */
  @TestFactory
  Stream<DynamicTest> everyLokiConfigKeyIsOneTheVersionDefines() {
    ImageContract loki = CONTRACTS.all().get("loki");
    Set<String> known = new TreeSet<>();
    loki.configKeys().forEach(k -> known.add(k.path()));
    return stations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      RenderedStack stack = new StackRenderer().render(e.getValue());
                      ConfigMap cm =
                          (ConfigMap)
                              stack.components().get("loki").objects().stream()
                                  .filter(
                                      o ->
                                          o instanceof ConfigMap
                                              && o.getMetadata().getName().equals("loki-config"))
                                  .findFirst()
                                  .orElseThrow();
                      Set<String> rendered = new TreeSet<>();
                      flatten("", yaml(cm.getData().get("loki.yaml")), rendered);
                      rendered.removeAll(known);
                      assertThat(rendered)
                          .as("loki.yaml keys Loki %s does not define", loki.tag())
                          .isEmpty();
                    }));
  }

  private static void flatten(String prefix, JsonNode node, Set<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  flatten(
                      prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                      f.getValue(),
                      out));
    } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      node.forEach(n -> flatten(prefix + "[]", n, out));
    } else {
      out.add(prefix);
    }
  }

  /**
   * Whether the container runs the contract's program: the image's entrypoint, not another program
   * of the image given as the command (a copy or a shell in an init container), whose writes the
   * contract does not describe.
   */
  static boolean runsEntrypoint(Container c, ImageContract contract) {
    List<String> command = c.getCommand();
    if (command == null || command.isEmpty()) {
      return true;
    }
    String program = command.get(0);
    return contract.entrypoint().stream()
        .anyMatch(
            ep ->
                ep.equals(program)
                    || ep.endsWith("/" + program)
                    || program.endsWith("/" + ep.substring(ep.lastIndexOf('/') + 1)));
  }

  /** Metric name → the contract exposing it. */
  static Map<String, String> exposedMetrics() {
    Map<String, String> m = new TreeMap<>();
    CONTRACTS
        .all()
        .forEach(
            (name, c) -> {
              for (ImageContract.Metric metric : CONTRACTS.metricsOf(c)) {
                m.putIfAbsent(metric.name(), metric.type());
              }
            });
    return m;
  }

  /** A name as a query reads it: the family itself, or a histogram's or summary's series. */
  static boolean known(String name, Map<String, String> exposed) {
    if (exposed.containsKey(name)) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String type = exposed.get(name.substring(0, name.length() - suffix.length()));
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every container of every workload, by "Kind namespace/name container". */
  static Map<String, Container> containers(RenderedStack stack) {
    Map<String, Container> out = new TreeMap<>();
    for (HasMetadata o : stack.objects()) {
      PodSpec pod =
          o instanceof Deployment d
              ? d.getSpec().getTemplate().getSpec()
              : o instanceof StatefulSet s
                  ? s.getSpec().getTemplate().getSpec()
                  : o instanceof DaemonSet d ? d.getSpec().getTemplate().getSpec() : null;
      if (pod == null) {
        continue;
      }
      List<Container> all = new ArrayList<>(pod.getContainers());
      all.addAll(pod.getInitContainers());
      for (Container c : all) {
        out.put(
            o.getKind()
                + " "
                + o.getMetadata().getNamespace()
                + "/"
                + o.getMetadata().getName()
                + " "
                + c.getName(),
            c);
      }
    }
    return out;
  }

  /** Every Prometheus query of a dashboard, rows and nested panels included. */
  static List<String> prometheusExprs(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode p : panels) {
      collect(p.path("panels"), out);
      for (JsonNode t : p.path("targets")) {
        if (t.path("datasource").path("type").asText("prometheus").equals("prometheus")
            && t.has("expr")) {
          out.add(t.get("expr").asText());
        }
      }
    }
  }

  private static JsonNode yaml(String text) {
    try {
      return Yaml.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ComponentRegistry registry() {
    return ComponentRegistry.load();
  }
}
