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
 * A node agent and a controller agent in dry-run, with loopback-only checks; the status API shows
 * node states and check verdicts to a client with the token, and nothing is ever slept or sent.
 */
class DryRunEndToEndIT {
  /** What `vigil power status` shows: the agent's answer, as a table or as JSON. */
  record Cli(int exit, String out, String err) {}

  static Cli status(String... args) {
    String agent = null;
    boolean json = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--agent")) {
        agent = args[++i];
      } else if (args[i].equals("--output")) {
        json = args[++i].equals("json");
      }
    }
    PowerStatusClient.Answer a =
        PowerStatusClient.fetch(PowerStatusClient.statusUri(agent).orElseThrow(), null, Duration.ofSeconds(10));
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

  /** The status as the API serves it to a client with the token. */
  static JsonNode statusJson(String agent, String token) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(agent + "/api/v1/power/status"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  static JsonNode node(JsonNode status, String name) {
    for (JsonNode n : status.path("nodes")) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no node " + name + " in " + status);
  }

  static JsonNode check(JsonNode node, String name) {
    for (JsonNode c : node.path("checks")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + node);
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
                    check(node(statusJson(agent, "tok"), "storage"), "jellyfin")
                        .path("verdict")
                        .asText()
                        .equals("active"));
        JsonNode s = statusJson(agent, "tok");
        assertThat(s.path("dryRun").asBoolean()).isTrue();
        JsonNode storage = node(s, "storage");
        assertThat(storage.path("state").asText()).isEqualTo("awake");
        assertThat(storage.path("sleepable").asBoolean()).isTrue();
        assertThat(node(s, "master").path("state").asText()).isEqualTo("unknown");
        assertThat(node(s, "master").path("sleepable").asBoolean()).isFalse();
        assertThat(check(storage, "backup-running").path("verdict").asText()).isEqualTo("idle");
        assertThat(check(storage, "backup-running").path("detail").asText()).isEqualTo("exit 1");
        assertThat(check(storage, "load").path("verdict").asText()).isEqualTo("idle");
        assertThat(check(storage, "load").path("detail").asText()).startsWith("load ");
        assertThat(storage.path("lastDecision").asText())
            .isEqualTo(
                "active: jellyfin (1 connection(s): 127.0.0.1->" + jellyfin.getLocalPort() + ")");
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
        // `vigil power status` has no way to send the token yet: it reports the refusal.
        Cli cli = status("status", "--agent", agent);
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err()).contains("answered HTTP 401");

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

        JsonNode after = node(statusJson(agent, "tok"), "storage");
        assertThat(after.path("checks")).hasSize(3);
        assertThat(after.path("checks").get(0).path("verdict").asText()).isEqualTo("idle");
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
                  node(statusJson(agent, "tok"), "storage")
                      .path("state")
                      .asText()
                      .equals("sleeping"));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(agent + "/api/v1/nodes/storage/wake"))
                      .header("Authorization", "Bearer tok")
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(202);
      // Waking, then back to sleeping once the dry-run wake is over: poll for the final state.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                JsonNode n = node(statusJson(agent, "tok"), "storage");
                return n.path("state").asText().equals("sleeping")
                    && n.path("lastWakeResult").asText().startsWith("dry_run");
              });
      JsonNode storage = node(statusJson(agent, "tok"), "storage");
      assertThat(storage.path("sleepable").asBoolean()).isTrue();
      assertThat(storage.path("lastWakeLatencySeconds").isNull()).isTrue();
      assertThat(storage.path("lastWakeReason").asText()).isEqualTo("api request from 127.0.0.1");
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
