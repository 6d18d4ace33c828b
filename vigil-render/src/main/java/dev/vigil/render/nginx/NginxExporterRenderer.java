package dev.vigil.render.nginx;

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
 * nginx-prometheus-exporter, one per NGINX server of {@code integrations.nginx}, reading its
 * stub_status page; scraped as job "nginx".
 */
@AutoService(ComponentRenderer.class)
public final class NginxExporterRenderer implements ComponentRenderer {
  public static final String NAME = "nginx-exporter";
  public static final String JOB = "nginx";
  static final String ROLE = "nginx-metrics";
  static final int PORT = 9113;

  /** The image's user (USER 1001:1001 in build/Dockerfile). */
  static final long UID = 1001;

  static final Component COMPONENT =
      Component.named(NAME)
          .image(NAME, "quay.io/nginx/nginx-prometheus-exporter:1.5.3")
          .tags(Tag.MONITORING)
          .scrapeJobs(JOB)
          .ruleFiles("nginx.rules.yaml")
          .dashboards(new NginxDashboard())
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  static List<IntegrationsSpec.Nginx> servers(Station station) {
    return station.integrations() == null ? List.of() : station.integrations().nginx();
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
    for (IntegrationsSpec.Nginx nginx : servers(ctx.station())) {
      ComponentObjects kit =
          Exporters.kit(ctx, NAME, nginx.name(), ROLE, ctx.image(COMPONENT, NAME, null));
      var container =
          Exporters.container(
                  kit,
                  NAME,
                  PORT,
                  ComponentObjects.resources(nginx.resources(), "10m", "16Mi", "100m", "64Mi"),
                  "/")
              .withArgs(
                  "--web.listen-address=:" + PORT,
                  "--nginx.scrape-uri=" + nginx.statusUrl(),
                  // Verification is off by default in this version: an https status page's
                  // certificate must be checked like any other.
                  "--nginx.ssl-verify")
              .build();
      Exporters.render(
          out,
          kit,
          nginx.name(),
          container,
          UID,
          List.of(NetPol.tcp(IntegrationsSpec.urlPort(nginx.statusUrl()))));
    }
  }
}
