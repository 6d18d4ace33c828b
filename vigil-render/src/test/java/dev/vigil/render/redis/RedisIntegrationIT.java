package dev.vigil.render.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.render.live.LivePrometheus;
import dev.vigil.render.live.LiveRedis;
import dev.vigil.render.live.Rendered;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered Redis integration against the real programs: Debian's redis-server (7.0) with a
 * password, and its redis_exporter (1.45) run with the rendered arguments (the server address
 * included) and the password in the environment variable the rendered Secret reference fills,
 * scraped by a real Prometheus with the rendered rules ({@link LivePrometheus} shortens every
 * {@code for:}). Then the server is broken the ways the alerts are about: every client slot taken,
 * memory filled to maxmemory, the server stopped; each fires its alert through real evaluation,
 * with the rendered labels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisIntegrationIT {
  private static final String INSTANCE = "sessions";
  private static final String PASSWORD = "s3cret-for-the-test";

  /** Few slots, so the test can take them all; the exporter needs one per scrape. */
  private static final int MAX_CLIENTS = 12;

  @TempDir static Path dir;

  private static LiveProcess redis;
  private static LiveProcess exporter;
  private static LivePrometheus prometheus;
  private static RenderedStack stack;

  @BeforeAll
  static void start() throws Exception {
    int redisPort = LiveProcess.freePort();
    stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "integrations:\n  redis:\n    - name: "
                        + INSTANCE
                        + "\n      address: 127.0.0.1:"
                        + redisPort
                        + "\n      password: {secret: {name: sessions-redis, key: password}}\n"));
    redis =
        LiveRedis.start(
            Files.createDirectories(dir.resolve("redis")),
            redisPort,
            PASSWORD,
            Map.of(
                "maxclients",
                String.valueOf(MAX_CLIENTS),
                "maxmemory",
                "4mb",
                "maxmemory-policy",
                "noeviction"));
    Path bin = Tools.require("prometheus-redis-exporter", "prometheus-redis-exporter");
    Container c =
        Rendered.container(stack, RedisExporterRenderer.NAME, "redis-exporter-" + INSTANCE);
    Rendered.checkFlagsAccepted(c, bin);
    assertThat(c.getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("REDIS_PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sessions-redis");
            });
    assertThat(String.join(" ", c.getArgs())).doesNotContain(PASSWORD);
    int port = LiveProcess.freePort();
    List<String> command = new ArrayList<>(List.of(bin.toString()));
    command.addAll(Rendered.argsOnLoopback(c, "--web.listen-address", port));
    exporter =
        LiveProcess.http(
            "redis-exporter",
            dir,
            port,
            "/health",
            Duration.ofSeconds(30),
            Map.of("REDIS_PASSWORD", PASSWORD),
            command);
    Map<String, Object> job =
        LivePrometheus.staticJob(
            RedisExporterRenderer.JOB, exporter.address(), Map.of("instance", INSTANCE));
    // Every two seconds with as long to answer: a loaded machine may take more than the test
    // Prometheus' default second for a scrape.
    job.put("scrape_interval", "2s");
    job.put("scrape_timeout", "2s");
    prometheus =
        LivePrometheus.start(
            Files.createDirectories(dir.resolve("prometheus")),
            stack.contributions().ruleFiles().get(RedisExporterRenderer.NAME),
            List.of(job));
    prometheus.awaitUp(RedisExporterRenderer.JOB, 1, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // The others still need closing.
      }
    }
  }

  private static LiveRedis.Client login() throws Exception {
    LiveRedis.Client client = LiveRedis.Client.connect(redis.port);
    assertThat(client.send("AUTH", PASSWORD)).isEqualTo("+OK");
    return client;
  }

  @Test
  @Order(1)
  void everyFamilyVigilReadsIsExposedWithItsContractTypeAndEveryDashboardQueryReturnsData()
      throws Exception {
    try (LiveRedis.Client client = login()) {
      // Hits, misses and a key that expires, so every counter of the dashboard has moved.
      assertThat(client.send("SET", "cart:1", "apples")).isEqualTo("+OK");
      assertThat(client.send("GET", "cart:1")).isEqualTo("$6");
      assertThat(client.send("GET", "cart:2")).isEqualTo("$-1");
      assertThat(client.send("SET", "token", "x", "PX", "1")).isEqualTo("+OK");
    }
    Awaitility.await("redis_up 1 from the exporter")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> exporter.get("/metrics").body(), m -> m.contains("\nredis_up 1"));
    Rendered.checkContractTypes(
        "redis-exporter", exporter.get("/metrics").body(), stack, RedisExporterRenderer.NAME);
    for (String q : Rendered.dashboardQueries(stack, RedisDashboard.UID)) {
      Awaitility.await(q)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> prometheus.query(q), r -> !r.isEmpty());
    }
    assertThat(prometheus.ruleErrors()).isEmpty();
    assertThat(prometheus.firing("RedisDown")).isEmpty();
    assertThat(prometheus.firing("RedisRejectedConnections")).isEmpty();
    assertThat(prometheus.firing("RedisMemoryNearLimit")).isEmpty();
  }

  @Test
  @Order(2)
  void clientsTakingEverySlotFireRedisRejectedConnections() throws Exception {
    long start = System.nanoTime();
    List<LiveRedis.Client> held = new ArrayList<>();
    int refused = 0;
    try {
      // Open connections until the server refuses three; the exporter's own may hold a slot
      // meanwhile.
      for (int i = 0; i < MAX_CLIENTS + 10 && refused < 3; i++) {
        LiveRedis.Client client = LiveRedis.Client.connect(redis.port);
        String reply = client.send("AUTH", PASSWORD);
        if (reply.equals("+OK")) {
          held.add(client);
        } else {
          assertThat(reply).contains("max number of clients reached");
          client.close();
          refused++;
        }
      }
      assertThat(refused).as("connections refused with maxclients " + MAX_CLIENTS).isEqualTo(3);
    } finally {
      for (LiveRedis.Client c : held) {
        c.close();
      }
    }
    // The exporter reads the refusals once it has a slot again.
    Map<String, String> alert =
        prometheus.awaitFiring(
            "RedisRejectedConnections", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("RedisRejectedConnections", start);
    assertThat(alert)
        .containsEntry("severity", "warning")
        .containsEntry("job", "redis")
        .containsEntry("team", "platform");
  }

  @Test
  @Order(3)
  void writesFillingMaxmemoryFireRedisMemoryNearLimit() throws Exception {
    long start = System.nanoTime();
    String value = "v".repeat(64 * 1024);
    try (LiveRedis.Client client = login()) {
      String reply = "+OK";
      int i = 0;
      // 4 MB of maxmemory takes about 60 such values; 200 bounds the loop should the limit not
      // hold.
      for (; i < 200 && reply.equals("+OK"); i++) {
        reply = client.send("SET", "blob:" + i, value);
      }
      assertThat(reply).as("reply to write " + i).startsWith("-OOM");
    }
    Map<String, String> alert =
        prometheus.awaitFiring(
            "RedisMemoryNearLimit", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("RedisMemoryNearLimit", start);
    assertThat(alert).containsEntry("severity", "warning").containsEntry("job", "redis");
  }

  @Test
  @Order(4)
  void aStoppedServerFiresRedisDown() throws Exception {
    long start = System.nanoTime();
    redis.close();
    assertThat(redis.isAlive()).isFalse();
    Map<String, String> alert =
        prometheus.awaitFiring("RedisDown", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("RedisDown", start);
    assertThat(alert).containsEntry("severity", "critical").containsEntry("job", "redis");
    // The exporter itself keeps answering: its target stays up, so this is RedisDown and not
    // TargetDown.
    assertThat(prometheus.query("up{job=\"redis\"} == 1")).isNotEmpty();
  }

  /**
   * How long the real evaluation took, for the record; the shortened {@code for:} is part of it.
   */
  private static void report(String alert, long startNanos) {
    System.out.printf(
        "%s fired %.1f s after the fault (every for: shortened to %s)%n",
        alert, (System.nanoTime() - startNanos) / 1e9, LivePrometheus.FOR);
  }
}
