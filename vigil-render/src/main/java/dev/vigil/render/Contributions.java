package dev.vigil.render;

import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every enabled component brings to the shared components — scrape jobs and rule files for
 * Prometheus, dashboards and datasources for Grafana — by the component that brings it. Computed
 * once per render from the declarations; Prometheus and Grafana read it, and so does the render
 * summary, which therefore never has to guess who owns a rule file or a dashboard.
 */
public final class Contributions {
  private final Map<String, List<Map<String, Object>>> scrapeJobs = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> ruleFiles = new LinkedHashMap<>();
  private final Map<String, List<Dashboard>> dashboards = new LinkedHashMap<>();
  private final Map<String, List<ProvisionedDatasource>> datasources = new LinkedHashMap<>();

  Contributions(RenderContext ctx) {
    Map<String, String> ruleOwner = new TreeMap<>();
    Map<String, String> dashboardOwner = new TreeMap<>();
    for (ComponentRenderer r : ctx.renderers()) {
      Component c = r.component();
      List<Map<String, Object>> jobs = r.scrapeJobs(ctx);
      for (Map<String, Object> job : jobs) {
        if (!c.scrapeJobs().contains(String.valueOf(job.get("job_name")))) {
          throw new IllegalStateException(
              c.name()
                  + " renders scrape job "
                  + job.get("job_name")
                  + " that its declaration does not name");
        }
      }
      scrapeJobs.put(c.name(), List.copyOf(jobs));
      Map<String, String> files = new TreeMap<>(r.ruleFiles(ctx));
      for (String f : files.keySet()) {
        if (!c.ruleFiles().contains(f)) {
          throw new IllegalStateException(
              c.name() + " renders rule file " + f + " that its declaration does not name");
        }
        String other = ruleOwner.put(f, c.name());
        if (other != null) {
          throw new IllegalStateException(
              "rule file " + f + " rendered by both " + other + " and " + c.name());
        }
      }
      ruleFiles.put(c.name(), Collections.unmodifiableMap(files));
      List<Dashboard> ds = r.dashboards(ctx);
      for (Dashboard d : ds) {
        if (!c.dashboards().contains(d.uid())) {
          throw new IllegalStateException(
              c.name() + " renders dashboard " + d.uid() + " that its declaration does not name");
        }
        String other = dashboardOwner.put(d.uid(), c.name());
        if (other != null) {
          // Grafana keeps one dashboard per uid: a second one would silently replace the first.
          throw new IllegalStateException(
              "two dashboards with uid '" + d.uid() + "': from " + other + " and " + c.name());
        }
      }
      dashboards.put(c.name(), List.copyOf(ds));
      List<ProvisionedDatasource> offered = r.datasources(ctx);
      for (ProvisionedDatasource p : offered) {
        if (!c.datasources().contains(p.ref())) {
          throw new IllegalStateException(
              c.name()
                  + " offers datasource "
                  + p.ref().uid()
                  + " that its declaration does not name");
        }
      }
      datasources.put(c.name(), List.copyOf(offered));
    }
  }

  /** Scrape jobs by component, in render order. */
  public Map<String, List<Map<String, Object>>> scrapeJobs() {
    return Collections.unmodifiableMap(scrapeJobs);
  }

  /** Rule files (name → YAML) by component. */
  public Map<String, Map<String, String>> ruleFiles() {
    return Collections.unmodifiableMap(ruleFiles);
  }

  /** Every rule file, by file name. */
  public Map<String, String> allRuleFiles() {
    Map<String, String> all = new TreeMap<>();
    ruleFiles.values().forEach(all::putAll);
    return all;
  }

  /** Dashboards by component. */
  public Map<String, List<Dashboard>> dashboards() {
    return Collections.unmodifiableMap(dashboards);
  }

  /** Every dashboard, sorted by uid. */
  public List<Dashboard> allDashboards() {
    List<Dashboard> all = new ArrayList<>();
    dashboards.values().forEach(all::addAll);
    all.sort(java.util.Comparator.comparing(Dashboard::uid));
    return all;
  }

  /** Datasources by component. */
  public Map<String, List<ProvisionedDatasource>> datasources() {
    return Collections.unmodifiableMap(datasources);
  }
}
