package dev.vigil.render;

import dev.vigil.spec.bind.Locations;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.model.ScrapeTarget;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a spec that need to know what Vigil renders: a spec's own scrape job may not take the
 * name of a job a component renders (Prometheus refuses duplicate job names).
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
          problems.add(at.problemAt("components.prometheus.extraScrapeTargets[" + i + "].name",
              "'" + name + "' is the job that scrapes " + c.name() + "; choose another name"));
        }
      }
    }
    return problems;
  }
}
