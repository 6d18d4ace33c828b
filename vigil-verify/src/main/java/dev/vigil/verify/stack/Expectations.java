package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.apply.Plan;
import dev.vigil.apply.Planner;
import dev.vigil.apply.Selection;
import dev.vigil.apply.Watch;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a live station must show, derived from its render — never written down twice: the scrape
 * jobs Prometheus runs, the rule groups of every rule file, the dashboards and datasources Grafana
 * provisions, Alertmanager's replicas and routing, Loki's tenant and the log sources that feed it,
 * the workloads and claims.
 */
public final class Expectations {
  /**
   * A scrape job; {@code optIn} when it scrapes only what asks for it (annotations), so none is
   * fine.
   */
  public record Job(String name, boolean optIn) {}

  /** A log source Loki should hold recent entries of, with the selector that finds them. */
  public record LogSource(String name, String selector, String from) {}

  private final Station station;
  private final RenderedStack stack;
  private final Plan plan;

  public Expectations(Station station) {
    this(station, new StackRenderer().render(station));
  }

  public Expectations(Station station, RenderedStack stack) {
    this.station = station;
    this.stack = stack;
    try {
      Selection.Selected all =
          Selection.select(
              ComponentRegistry.load(), stack.components().keySet(), Set.of(), Set.of(), true);
      this.plan = Planner.plan(station.cluster().name(), stack, all);
    } catch (Selection.SelectionException e) {
      throw new IllegalStateException(e);
    }
  }

  public Station station() {
    return station;
  }

  public RenderedStack stack() {
    return stack;
  }

  public String instance() {
    return station.cluster().name();
  }

  public String namespace() {
    return station.cluster().namespace();
  }

  public boolean enabled(String component) {
    return stack.components().containsKey(component);
  }

  /** Workloads and claims, as {@code vigil apply} waits for them. */
  public List<Watch> watches() {
    return Watch.of(plan);
  }

  /** The namespaces the station's objects live in. */
  public Set<String> namespaces() {
    return plan.namespaces();
  }

  private Optional<ConfigMap> configMap(String name) {
    for (HasMetadata o : stack.objects()) {
      if (o instanceof ConfigMap cm && cm.getMetadata().getName().equals(name)) {
        return Optional.of(cm);
      }
    }
    return Optional.empty();
  }

  private static JsonNode yaml(String text) {
    try {
      return Yaml.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every job of the rendered prometheus.yml: the components' jobs and the spec's extra targets.
   */
  public List<Job> scrapeJobs() {
    List<Job> out = new ArrayList<>();
    configMap("prometheus-config")
        .ifPresent(
            cm -> {
              for (JsonNode job : yaml(cm.getData().get("prometheus.yml")).path("scrape_configs")) {
                boolean optIn = false;
                for (JsonNode r : job.path("relabel_configs")) {
                  if ("keep".equals(r.path("action").asText())) {
                    for (JsonNode l : r.path("source_labels")) {
                      optIn |= l.asText().contains("_annotation_");
                    }
                  }
                }
                out.add(new Job(job.path("job_name").asText(), optIn));
              }
            });
    return out;
  }

  /** Rule file name → the names of its groups, as Prometheus must have loaded them. */
  public Map<String, List<String>> ruleGroups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!enabled("prometheus")) {
      return out;
    }
    stack
        .contributions()
        .allRuleFiles()
        .forEach(
            (file, text) -> {
              List<String> groups = new ArrayList<>();
              yaml(text).path("groups").forEach(g -> groups.add(g.path("name").asText()));
              out.put(file, groups);
            });
    return out;
  }

  /** The rendered alertmanager.yml, or empty. */
  public Optional<String> alertmanagerConfig() {
    return configMap("alertmanager-config").map(cm -> cm.getData().get("alertmanager.yml"));
  }

  public int replicas(String statefulSet) {
    for (HasMetadata o : stack.objects()) {
      if (o instanceof StatefulSet s && s.getMetadata().getName().equals(statefulSet)) {
        return s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      }
    }
    return 0;
  }

  public List<Dashboard> dashboards() {
    return enabled("grafana") ? stack.contributions().allDashboards() : List.of();
  }

  public List<ProvisionedDatasource> datasources() {
    List<ProvisionedDatasource> out = new ArrayList<>();
    if (enabled("grafana")) {
      stack.contributions().datasources().values().forEach(out::addAll);
    }
    return out;
  }

  /** The X-Scope-OrgID the stack's writers use when Loki is multi-tenant. */
  public Optional<String> lokiTenant() {
    List<ComponentRenderer> active = new ArrayList<>();
    for (ComponentRenderer r : ComponentRegistry.load().renderers()) {
      if (stack.components().containsKey(r.name())) {
        active.add(r);
      }
    }
    return LokiRenderer.tenant(new RenderContext(station, active));
  }

  /**
   * The sources that write to Loki in this station, each with the stream selector of its entries.
   */
  public List<LogSource> logSources() {
    List<LogSource> out = new ArrayList<>();
    if (!enabled("loki")) {
      return out;
    }
    if (enabled("alloy")) {
      out.add(new LogSource("pods", "{namespace=~\".+\", container=~\".+\"}", "alloy"));
      out.add(new LogSource("journal", "{job=\"systemd-journal\"}", "alloy"));
    }
    if (enabled("syslog-gateway")) {
      out.add(new LogSource("syslog", "{listener=~\"udp|tcp|tls\"}", "syslog-gateway"));
    }
    return out;
  }

  /** The gateway's plain TCP syslog port in its pod, when it listens on TCP. */
  public Optional<Integer> syslogTcpPort() {
    if (!enabled("syslog-gateway")
        || station.syslog() == null
        || station.syslog().listen() == null
        || !station.syslog().listen().tcp()) {
      return Optional.empty();
    }
    return Optional.of(station.syslog().listen().tcpPort());
  }
}
