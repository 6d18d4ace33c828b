package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import java.time.Duration;

@Doc("Loki, single-binary mode.")
public record LokiSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources,
    @Doc("Volume for chunks, index and WAL (default 20Gi).") Storage storage,
    @Doc("Retention (default 30d); enforced by the compactor.") Retention retention,
    @Doc("Ingestion and query limits.") LokiLimits limits,
    @Doc(
            "Multi-tenancy (auth_enabled): every writer and reader names its tenant in the"
                + " X-Scope-OrgID header. Default: on in production, off in homelab.")
        Boolean multiTenant,
    @Doc(
            "The tenant the stack's own logs go to and Grafana reads when multi-tenancy is on"
                + " (default: the cluster name).")
        String tenant,
    @Doc("External access (NodePort 31100 in homelab).") Access access) {

  @Doc("Loki limits_config.")
  public record LokiLimits(
      @Doc("Per-tenant ingestion rate, MB/s.") @Default("10") int ingestionRateMb,
      @Doc("Per-tenant ingestion burst, MB.") @Default("20") int ingestionBurstSizeMb,
      @Doc("Per-stream rate.") @Default("3MB") String perStreamRateLimit,
      @Doc("Per-stream burst.") @Default("15MB") String perStreamRateLimitBurst,
      @Doc("Longest time range one query may cover.") @Default("721h") Duration maxQueryLength,
      @Doc("Most entries one query may return.") @Default("5000") int maxEntriesLimitPerQuery,
      @Doc("Most labels per series.") @Default("15") int maxLabelNamesPerSeries,
      @Doc("Reject entries older than this.") @Default("168h") Duration rejectOldSamplesMaxAge) {}
}
