package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node agent and a controller agent in dry-run, with loopback-only checks; {@code vigil power
 * status --agent} shows node states and check verdicts, and nothing is ever slept or sent.
 */
class DryRunEndToEndIT {
  /** What `vigil power status` shows: the agent's answer, as a table or as JSON. */
  record Cli(int exit, String out, String err) {}

  static Cli status(String... args) {
    String agent = null;
    String token = null;
    boolean json = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--agent")) {
        agent = args[++i];
      } else if (args[i].equals("--output")) {
        json = args[++i].equals("json");
      } else if (args[i].equals("--token")) {
        token = args[++i];
      }
    }
    PowerStatusClient.Answer a =
        PowerStatusClient.fetch(
            PowerStatusClient.statusUri(agent).orElseThrow(), token, Duration.ofSeconds(10));
    if (!a.ok()) {
      return new Cli(1, "", a.error());
    }
    StringWriter out = new StringWriter();
    if (json) {
      out.write(a.status().toPrettyString());
    } else {
      PowerStatusClient.printTable(a.status(), new PrintWriter(out));
    }
    return new Cli(0, out.toString(), "");
  }

  @Test
  void nodeAgentInDryRunReportsVerdictsAndWouldSleep() throws Exception {
    List<String> decisions = Collections.synchronizedList(new ArrayList<>());
    try (ServerSocket jellyfin = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      String yaml =
          """
          enabled: true
          dryRun: true
          controller: master
          api: {token: {env: T}}
          nodes:
            master: {sleepable: false}
            storage:
              mac: b8:ac:6f:7e:6c:9d
              address: 127.0.0.1
              idle:
                idleAfter: 3s
                minUptime: 0s
                interval: 1s
                checks:
                  - kind: tcp-connections
                    name: jellyfin
                    ports: [%d]
                  - kind: command
                    name: backup-running
                    command: ['false']
                  - kind: load
                    threshold: 1000
              sleep:
                drain: true
                wolInterfaces: [eno1]
          """
              .formatted(jellyfin.getLocalPort());
      PrometheusRegistry registry = new PrometheusRegistry();
      try (PowerManager node =
              PowerManager.builder()
                  .spec(Specs.power(yaml))
                  .localNode("storage")
                  .registry(registry)
                  .env(Map.of("T", "tok"))
                  .api("127.0.0.1", 0)
                  .decisionLog(decisions::add)
                  .buildAndStart();
          Socket viewer = new Socket(InetAddress.getLoopbackAddress(), jellyfin.getLocalPort());
          Socket served = jellyfin.accept()) {
        String agent = "http://127.0.0.1:" + node.getPort();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    status("status", "--agent", agent, "--token", "tok")
                        .out()
                        .contains("jellyfin             active"));
        // Without the token the agent shows nothing.
        Cli refused = status("status", "--agent", agent);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("answered HTTP 401 (a token is required");
        assertThat(refused.out()).isEmpty();
        Cli table = status("status", "--agent", agent, "--token", "tok");
        assertThat(table.exit()).isZero();
        assertThat(table.out())
            .contains("DRY-RUN")
            .containsPattern("storage\\s+awake\\s+yes")
            .containsPattern("master\\s+unknown\\s+no")
            .containsPattern("backup-running\\s+idle\\s+exit 1")
            .containsPattern("load\\s+idle\\s+load ")
            .contains(
                "decision: active: jellyfin (1 connection(s): 127.0.0.1->"
                    + jellyfin.getLocalPort()
                    + ")");
        assertThat(
                Metrics.value(
                    registry,
                    "vigil_power_check_verdict",
                    "node",
                    "storage",
                    "check",
                    "jellyfin",
                    "verdict",
                    "active"))
            .isEqualTo(1);

        // The viewer leaves: after the idle period the node would sleep, and only says so.
        viewer.close();
        served.close();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    decisions.stream().anyMatch(d -> d.startsWith("dry-run: would sleep storage")));
        assertThat(decisions)
            .anyMatch(
                d -> d.contains("drain=true, re-arm WOL on [eno1], run [systemctl, suspend]"));
        assertThat(
                Metrics.value(registry, "vigil_power_sleeps", "node", "storage", "dry_run", "true"))
            .isGreaterThanOrEqualTo(1);

        Cli json = status("status", "--agent", agent, "--token", "tok", "--output", "json");
        assertThat(json.exit()).isZero();
        JsonNode s = new ObjectMapper().readTree(json.out());
        assertThat(s.path("dryRun").asBoolean()).isTrue();
        JsonNode storage = s.path("nodes").get(1);
        assertThat(storage.path("name").asText()).isEqualTo("storage");
        assertThat(storage.path("checks")).hasSize(3);
        assertThat(storage.path("checks").get(0).path("verdict").asText()).isEqualTo("idle");
      }
    }
  }

  @Test
  void controllerAgentInDryRunShowsTheSleepingNodeAndOnlyLogsTheWake() throws Exception {
    List<String> decisions = Collections.synchronizedList(new ArrayList<>());
    String yaml =
        """
        enabled: true
        dryRun: true
        controller: master
        wake: {verifyPort: %d}
        api: {token: {env: T}}
        nodes:
          master: {sleepable: false}
          storage:
            mac: b8:ac:6f:7e:6c:9d
            address: 127.0.0.1
            secureOn: {env: PW}
            idle: {checks: [{kind: users}]}
            triggers: {interval: 1s}
        """
            .formatted(Specs.closedPort());
    try (PowerManager controller =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("master")
            .registry(new PrometheusRegistry())
            .env(Map.of("T", "tok", "PW", "ab:cd:ef:01"))
            .api("127.0.0.1", 0)
            .decisionLog(decisions::add)
            .buildAndStart()) {
      String agent = "http://127.0.0.1:" + controller.getPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  status("status", "--agent", agent, "--token", "tok")
                      .out()
                      .matches("(?s).*storage\\s+sleeping.*"));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(agent + "/api/v1/nodes/storage/wake"))
                      .header("Authorization", "Bearer tok")
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(202);
      // Waking, then back to sleeping once the dry-run wake is over: poll for the final row.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  status("status", "--agent", agent, "--token", "tok")
                      .out()
                      .matches(
                          "(?s).*storage\\s+sleeping\\s+yes\\s+-\\s+dry_run\\s+-\\s+api request"
                              + " from 127\\.0\\.0\\.1.*"));
      assertThat(decisions)
          .anyMatch(
              d ->
                  d.equals(
                      "dry-run: would send magic packet for storage (b8:ac:6f:7e:6c:9d) to ports"
                          + " [9, 7] with SecureOn password"));
      assertThat(String.join("\n", decisions)).doesNotContain("ab:cd:ef:01");
    }
  }

  @Test
  void aReloadedManagerCanRegisterItsMetricsAgain() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    String yaml = "enabled: true\ndryRun: true\nnodes:\n  master: {sleepable: false}\n";
    for (int i = 0; i < 2; i++) {
      try (PowerManager m =
          PowerManager.builder()
              .spec(Specs.power(yaml))
              .localNode("master")
              .registry(registry)
              .api("127.0.0.1", 0)
              .buildAndStart()) {
        assertThat(Metrics.value(registry, "vigil_power_node_sleepable", "node", "master"))
            .isZero();
        assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName()))
            .contains("vigil_power_node_state");
      }
    }
    assertThat(registry.scrape().size()).isZero();
  }

  @Test
  void statusReportsAnUnreachableAgentAndRefusesOtherSchemes() throws Exception {
    Cli down = status("status", "--agent", "http://127.0.0.1:" + Specs.closedPort());
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach the agent");
    assertThat(PowerStatusClient.statusUri("ftp://x")).isEmpty();
  }
}
