package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import java.time.Duration;
import java.util.List;

@Doc("Prometheus server.")
public record PrometheusSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override (registry/name:tag or @digest).") String image,
    @Doc("Replicas; 1 in homelab, 2 in production.") Integer replicas,
    @Doc("Container resources.") Resources resources,
    @Doc("TSDB volume (default 10Gi).") Storage storage,
    @Doc("TSDB retention (default 30d, and 90 % of the volume).") Retention retention,
    @Doc("Global scrape interval; 15s or more.") @Default("30s") Duration scrapeInterval,
    @Doc("Rule evaluation interval.") @Default("30s") Duration evaluationInterval,
    @Doc("Query limits.") QueryLimits query,
    @Doc("Extra scrape jobs, including federation of other clusters.")
        List<ScrapeTarget> extraScrapeTargets,
    @Doc("External access (NodePort 30090 in homelab).") Access access) {

  @Doc("Limits that keep one query from taking the server down.")
  public record QueryLimits(
      @Doc("Maximum query duration.") @Default("2m") Duration timeout,
      @Doc("Maximum concurrent queries.") @Default("20") int maxConcurrency,
      @Doc("Maximum samples one query may load.") @Default("50000000") long maxSamples) {}
}
