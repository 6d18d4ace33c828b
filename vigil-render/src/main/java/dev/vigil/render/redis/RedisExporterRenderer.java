package dev.vigil.render.redis;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * redis_exporter, one per Redis server of {@code integrations.redis}, with the server's password
 * from its Secret; scraped as job "redis".
 */
@AutoService(ComponentRenderer.class)
public final class RedisExporterRenderer implements ComponentRenderer {
  public static final String NAME = "redis-exporter";
  public static final String JOB = "redis";
  static final String ROLE = "redis-metrics";
  static final int PORT = 9121;

  /** The image's user (USER 59000:59000 in its Dockerfile). */
  static final long UID = 59000;

  /**
   * How long a scrape waits for the server: well under the stack's 10 s scrape timeout, so an
   * unreachable server is a scrape that reports redis_up 0 (RedisDown), not a scrape that times out
   * (TargetDown). The exporter's own default is 15 s.
   */
  static final String CONNECTION_TIMEOUT = "5s";

  static final Component COMPONENT =
      Component.named(NAME)
          .image(NAME, "quay.io/oliver006/redis_exporter:v1.88.0")
          .tags(Tag.MONITORING)
          .scrapeJobs(JOB)
          .ruleFiles("redis.rules.yaml")
          .dashboards(new RedisDashboard())
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  static List<IntegrationsSpec.Redis> servers(Station station) {
    return station.integrations() == null ? List.of() : station.integrations().redis();
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
    for (IntegrationsSpec.Redis redis : servers(ctx.station())) {
      ComponentObjects kit =
          Exporters.kit(ctx, NAME, redis.name(), ROLE, ctx.image(COMPONENT, NAME, null));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--web.listen-address=:" + PORT,
                  "--redis.addr=redis://" + redis.address(),
                  "--connection-timeout=" + CONNECTION_TIMEOUT));
      if (redis.user() != null) {
        args.add("--redis.user=" + redis.user());
      }
      var container =
          Exporters.container(
                  kit,
                  NAME,
                  PORT,
                  ComponentObjects.resources(redis.resources(), "10m", "16Mi", "100m", "64Mi"),
                  "/health")
              .withArgs(args);
      if (redis.password() != null) {
        // The exporter reads REDIS_PASSWORD when --redis.password is not given: the password stays
        // out of the pod's arguments, which anyone who may list pods can read.
        container.withEnv(Exporters.secretEnv("REDIS_PASSWORD", redis.password()));
      }
      Exporters.render(
          out,
          kit,
          redis.name(),
          container.build(),
          UID,
          List.of(NetPol.tcp(IntegrationsSpec.port(redis.address()))));
    }
  }
}
