package dev.vigil.render.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.live.LivePostgres;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.render.live.LivePrometheus;
import dev.vigil.render.live.Rendered;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered PostgreSQL integration against the real programs: Debian's PostgreSQL 15 and its
 * postgres_exporter (0.11.1), run with the rendered arguments and the DSN the Secret would hold,
 * scraped by a real Prometheus with the rendered rules ({@link LivePrometheus} shortens every
 * {@code for:}). Then the server is broken the ways the alerts are about: its connections used up
 * by idle sessions, a deadlock between two sessions, and the server stopped; each fires its alert
 * through real evaluation, with the rendered labels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresIntegrationIT {
  private static final String INSTANCE = "odoo-db";

  @TempDir static Path dir;

  private static LiveProcess postgres;
  private static LiveProcess exporter;
  private static LivePrometheus prometheus;
  private static RenderedStack stack;
  private static final List<Process> sessions = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "integrations:\n  postgres:\n    - name: "
                        + INSTANCE
                        + "\n      dsn: {secret: {name: odoo-db-monitoring, key: dsn}}\n"));
    // max_connections 20: over 80% of it is easy to reach with real sessions, leaving a few free.
    postgres =
        LivePostgres.start(
            Files.createDirectories(dir.resolve("pg")),
            Map.of(
                "max_connections",
                "20",
                "superuser_reserved_connections",
                "1",
                "deadlock_timeout",
                "200ms"));
    Path bin = Tools.require("prometheus-postgres-exporter", "prometheus-postgres-exporter");
    Container c =
        Rendered.container(stack, PostgresExporterRenderer.NAME, "postgres-exporter-" + INSTANCE);
    Rendered.checkFlagsAccepted(c, bin);
    assertThat(c.getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("DATA_SOURCE_NAME");
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("odoo-db-monitoring");
            });
    int port = LiveProcess.freePort();
    List<String> command = new ArrayList<>(List.of(bin.toString()));
    command.addAll(Rendered.argsOnLoopback(c, "--web.listen-address", port));
    exporter =
        LiveProcess.http(
            "postgres-exporter",
            dir,
            port,
            "/metrics",
            Duration.ofSeconds(30),
            Map.of("DATA_SOURCE_NAME", LivePostgres.dsn(postgres)),
            command);
    Map<String, Object> job =
        LivePrometheus.staticJob(
            PostgresExporterRenderer.JOB, exporter.address(), Map.of("instance", INSTANCE));
    // With its server gone the exporter answers only after its connection attempt gives up, about a
    // second later: the stack's 10 s scrape timeout allows for that, the test Prometheus' 1 s does
    // not.
    job.put("scrape_interval", "5s");
    job.put("scrape_timeout", "5s");
    prometheus =
        LivePrometheus.start(
            Files.createDirectories(dir.resolve("prometheus")),
            stack.contributions().ruleFiles().get(PostgresExporterRenderer.NAME),
            List.of(job));
    prometheus.awaitUp(PostgresExporterRenderer.JOB, 1, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    sessions.forEach(Process::destroyForcibly);
    for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter, postgres}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // The others still need closing.
      }
    }
  }

  @Test
  @Order(1)
  void everyFamilyVigilReadsIsExposedWithItsContractType() throws Exception {
    String metrics = exporter.get("/metrics").body();
    assertThat(metrics).contains("pg_up 1");
    Rendered.checkContractTypes("postgres-exporter", metrics, stack, PostgresExporterRenderer.NAME);
  }

  @Test
  @Order(2)
  void everyDashboardQueryReturnsDataAndNoRuleErrs() throws Exception {
    // Some activity, so every counter has moved.
    run(
        LivePostgres.psql(
            postgres,
            "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0);"));
    for (String q : Rendered.dashboardQueries(stack, PostgresDashboard.UID)) {
      Awaitility.await(q)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> prometheus.query(q), r -> !r.isEmpty());
    }
    assertThat(prometheus.ruleErrors()).isEmpty();
    assertThat(prometheus.firing("PostgresDown")).isEmpty();
    assertThat(prometheus.firing("PostgresConnectionsNearLimit")).isEmpty();
  }

  @Test
  @Order(3)
  void idleSessionsUsingUpTheConnectionsFireTheWarning() throws Exception {
    // The exporter holds one or two connections; sixteen sessions more make 17 or 18 of 20.
    long start = System.nanoTime();
    for (int i = 0; i < 16; i++) {
      sessions.add(
          LivePostgres.psql(postgres, "SELECT pg_sleep(120)")
              .redirectOutput(dir.resolve("session-" + i + ".log").toFile())
              .start());
    }
    Map<String, String> alert =
        prometheus.awaitFiring(
            "PostgresConnectionsNearLimit",
            Map.of("instance", INSTANCE, "severity", "warning"),
            Duration.ofSeconds(90));
    report("PostgresConnectionsNearLimit (warning)", start);
    assertThat(alert).containsEntry("job", "postgres").containsEntry("team", "platform");
    // A backend sleeping in pg_sleep does not notice its client leaving: end them from the server.
    run(
        LivePostgres.psql(
            postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE query = 'SELECT pg_sleep(120)' AND pid <> pg_backend_pid()"));
    for (Process p : sessions) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @Order(4)
  void aDeadlockBetweenTwoSessionsFiresPostgresDeadlocks() throws Exception {
    long start = System.nanoTime();
    Process a =
        LivePostgres.psql(
                postgres,
                "BEGIN; UPDATE t SET v = 1 WHERE id = 1; SELECT pg_sleep(1);"
                    + " UPDATE t SET v = 1 WHERE id = 2; COMMIT;")
            .redirectOutput(dir.resolve("deadlock-a.log").toFile())
            .start();
    Process b =
        LivePostgres.psql(
                postgres,
                "BEGIN; UPDATE t SET v = 2 WHERE id = 2; SELECT pg_sleep(1);"
                    + " UPDATE t SET v = 2 WHERE id = 1; COMMIT;")
            .redirectOutput(dir.resolve("deadlock-b.log").toFile())
            .start();
    assertThat(a.waitFor(30, TimeUnit.SECONDS) && b.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String logs =
        Files.readString(dir.resolve("deadlock-a.log"))
            + Files.readString(dir.resolve("deadlock-b.log"));
    assertThat(logs).contains("deadlock detected");
    Map<String, String> alert =
        prometheus.awaitFiring(
            "PostgresDeadlocks",
            Map.of("instance", INSTANCE, "datname", "postgres"),
            Duration.ofSeconds(90));
    report("PostgresDeadlocks", start);
    assertThat(alert).containsEntry("severity", "warning");
  }

  @Test
  @Order(5)
  void aStoppedServerFiresPostgresDown() throws Exception {
    long start = System.nanoTime();
    LivePostgres.stop(postgres);
    assertThat(postgres.isAlive()).as("postgres after a fast shutdown").isFalse();
    Map<String, String> alert =
        prometheus.awaitFiring(
            "PostgresDown", Map.of("instance", INSTANCE), Duration.ofSeconds(90));
    report("PostgresDown", start);
    assertThat(alert).containsEntry("severity", "critical").containsEntry("job", "postgres");
    // The exporter is fine: its own errors are not reported on top while the server is down.
    assertThat(prometheus.firing("PostgresExporterErrors")).isEmpty();
  }

  /**
   * How long the real evaluation took, for the record; the shortened {@code for:} is part of it.
   */
  private static void report(String alert, long startNanos) {
    System.out.printf(
        "%s fired %.1f s after the fault (every for: shortened to %s)%n",
        alert, (System.nanoTime() - startNanos) / 1e9, LivePrometheus.FOR);
  }

  private static void run(ProcessBuilder pb) throws Exception {
    Process p =
        pb.redirectOutput(dir.resolve("psql-" + System.nanoTime() + ".log").toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
