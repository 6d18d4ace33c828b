package dev.vigil.render;

import dev.vigil.spec.bind.Locations;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.model.ScrapeTarget;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks of a spec that need to know what Vigil renders: a spec's own scrape job may not take the
 * name of a job a component renders (Prometheus refuses duplicate job names), and an image override
 * must name an image a component runs.
 */
public final class RegistryChecks {
  private RegistryChecks() {}

  public static List<Problem> check(Station station, Locations at, ComponentRegistry registry) {
    List<Problem> problems = new ArrayList<>();
    List<ScrapeTarget> extra = station.components().prometheus().extraScrapeTargets();
    for (int i = 0; i < extra.size(); i++) {
      String name = extra.get(i).name();
      for (Component c : registry.components()) {
        if (c.scrapeJobs().contains(name)) {
          problems.add(
              at.problemAt(
                  "components.prometheus.extraScrapeTargets[" + i + "].name",
                  "'" + name + "' is the job that scrapes " + c.name() + "; choose another name"));
        }
      }
    }
    if (station.images() != null) {
      var c = station.components();
      Map<String, String> ownOverride =
          Map.of(
              "prometheus",
              nz(c.prometheus().image()),
              "alertmanager",
              nz(c.alertmanager().image()),
              "grafana",
              nz(c.grafana().image()),
              "loki",
              nz(c.loki().image()),
              "alloy",
              nz(c.alloy().image()),
              "node-exporter",
              nz(c.nodeExporter().image()),
              "kube-state-metrics",
              nz(c.kubeStateMetrics().image()),
              "ipmi-exporter",
              nz(c.ipmiExporter().image()));
      for (String name : new java.util.TreeSet<>(station.images().keySet())) {
        if (!registry.images().containsKey(name)) {
          problems.add(
              at.problemAt(
                  "images." + name,
                  "no image is called '"
                      + name
                      + "'"
                      + dev.vigil.spec.bind.Names.didYouMean(name, registry.images().keySet())
                          .map(n -> " (did you mean '" + n + "'?)")
                          .orElse("")
                      + "; expected one of "
                      + String.join(", ", registry.images().keySet())));
        } else if (!ownOverride.getOrDefault(name, "").isEmpty()) {
          problems.add(
              at.problemAt(
                  "images." + name, "also set as the component's own image; keep one of the two"));
        }
      }
    }
    return problems;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
