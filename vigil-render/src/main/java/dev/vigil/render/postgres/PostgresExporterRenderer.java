package dev.vigil.render.postgres;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.integrations.Exporters;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.spec.model.IntegrationsSpec;
import dev.vigil.spec.model.Station;
import java.util.List;
import java.util.Map;

/**
 * postgres_exporter, one per PostgreSQL server of {@code integrations.postgres}, connecting with
 * the spec's DSN from its Secret; scraped as job "postgres".
 */
@AutoService(ComponentRenderer.class)
public final class PostgresExporterRenderer implements ComponentRenderer {
  public static final String NAME = "postgres-exporter";
  public static final String JOB = "postgres";
  static final String ROLE = "postgres-metrics";
  static final int PORT = 9187;

  static final Component COMPONENT =
      Component.named(NAME)
          .image(NAME, "quay.io/prometheuscommunity/postgres-exporter:v0.20.1")
          .tags(Tag.MONITORING)
          .scrapeJobs(JOB)
          .ruleFiles("postgres.rules.yaml")
          .dashboards(new PostgresDashboard())
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  static List<IntegrationsSpec.Postgres> servers(Station station) {
    return station.integrations() == null ? List.of() : station.integrations().postgres();
  }

  @Override
  public boolean enabled(Station station) {
    return !servers(station).isEmpty();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(Exporters.scrapeJob(JOB, ctx, ROLE));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    for (IntegrationsSpec.Postgres pg : servers(ctx.station())) {
      ComponentObjects kit =
          Exporters.kit(ctx, NAME, pg.name(), ROLE, ctx.image(COMPONENT, NAME, null));
      var container =
          Exporters.container(
                  kit,
                  NAME,
                  PORT,
                  ComponentObjects.resources(pg.resources(), "20m", "32Mi", "200m", "128Mi"),
                  "/")
              .withArgs("--web.listen-address=:" + PORT)
              // The DSN holds the password: it stays in its Secret and reaches only the exporter's
              // environment.
              .withEnv(Exporters.secretEnv("DATA_SOURCE_NAME", pg.dsn()))
              .build();
      Exporters.render(out, kit, pg.name(), container, 65534, List.of(NetPol.tcp(pg.port())));
    }
  }
}
