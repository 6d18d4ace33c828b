package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake triggers on the controller with real sockets on loopback. The wake action is recorded
 * instead of sent: packets are only ever sent inside test network namespaces ({@link NetnsWakeIT}).
 */
class TriggersIT {
  private static final String TOKEN = "t0ken-for-tests-only";
  @TempDir Path dir;
  private PowerManager manager;
  private PrometheusRegistry registry;
  private final List<String> wakes = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private int holdPort;
  private HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    holdPort = Specs.closedPort();
    Path media = Files.createDirectories(dir.resolve("media"));
    String yaml =
        """
        enabled: true
        controller: master
        wake:
          verifyPort: %d
          backoff: 60s
        api:
          port: 0
          token: {env: WAKE_TOKEN}
        nodes:
          master: {sleepable: false}
          media:
            mac: b8:ac:6f:7e:6c:9d
            address: 127.0.0.1
            idle: {checks: [{kind: users}]}
            triggers:
              ports: [%d]
              holdPorts: true
              holdAddress: 127.0.0.1
              syslogPatterns: ['sshd\\[\\d+\\]: Failed password .* media$']
              paths: ['%s']
              interval: 1s
        """
            .formatted(Specs.closedPort(), holdPort, media);
    registry = new PrometheusRegistry();
    manager =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("master")
            .registry(registry)
            .env(Map.of("WAKE_TOKEN", TOKEN))
            .inotifyWait(Optional.empty())
            .api("127.0.0.1", 0)
            .wakeAction(
                (node, reason) -> {
                  wakes.add(node + ": " + reason);
                  release.await();
                  return new WakeCoordinator.Outcome(false, Duration.ofSeconds(1), "no answer");
                })
            .buildAndStart();
    await().atMost(Duration.ofSeconds(15)).until(() -> state("media").equals("sleeping"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    manager.close();
  }

  private String state(String node) {
    return manager.status().nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void connectionBurstToAHeldPortBecomesOneWake() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> manager.heldPorts("media").contains(holdPort));
    for (int i = 0; i < 20; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), holdPort)) {
        s.getInputStream().read();
      } catch (IOException e) {
        // The holder closes at once; a reset is expected.
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> wakes.size() == 1);
    assertThat(wakes.get(0)).startsWith("media: connection to held port " + holdPort);
    assertThat(state("media")).isEqualTo("waking");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Metrics.value(
                        registry,
                        "vigil_power_wakes_suppressed",
                        "node",
                        "media",
                        "why",
                        "in-flight")
                    >= 19);
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Metrics.value(registry, "vigil_power_wakes", "node", "media", "result", "failed")
                    == 1);
    // The failed wake starts a backoff: a new burst is suppressed, not sent.
    await().atMost(Duration.ofSeconds(10)).until(() -> state("media").equals("sleeping"));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), holdPort)) {
      s.getInputStream().read();
    } catch (IOException ignored) {
      // reset
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Metrics.value(
                        registry, "vigil_power_wakes_suppressed", "node", "media", "why", "backoff")
                    >= 1);
    assertThat(wakes).hasSize(1);
    assertThat(
            manager.status().nodes().stream()
                .filter(n -> n.name().equals("media"))
                .findFirst()
                .orElseThrow()
                .lastWakeResult())
        .startsWith("failed");
  }

  @Test
  void matchingSyslogMessageWakesAndOthersDoNot() {
    manager
        .syslogHook()
        .accept("sshd[4242]: Accepted publickey for jason from 192.168.4.10 port 50000 ssh2");
    manager
        .syslogHook()
        .accept(
            "sshd[4243]: Failed password for root from 192.168.4.10 port 50001 ssh2 on homelab");
    assertThat(wakes).isEmpty();
    manager
        .syslogHook()
        .accept("sshd[4244]: Failed password for root from 192.168.4.10 port 50002 ssh2 on media");
    await().atMost(Duration.ofSeconds(5)).until(() -> wakes.size() == 1);
    assertThat(wakes.get(0)).contains("syslog matched");
  }

  @Test
  void fileActivityUnderAWatchedPathWakesByPolling() throws Exception {
    // No wait: the poller took its first snapshot inside buildAndStart (PathWatcher.start), so
    // a file written now is a change against it.
    assertThat(wakes).isEmpty();
    Files.writeString(dir.resolve("media").resolve("movie.mkv"), "x");
    await().atMost(Duration.ofSeconds(10)).until(() -> wakes.size() == 1);
    assertThat(wakes.get(0)).contains("path access (poll");
  }

  private HttpResponse<String> post(String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manager.getPort() + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> status(String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + manager.getPort() + "/api/v1/power/status"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wakeApiNeedsTheBearerToken() throws Exception {
    assertThat(post("/api/v1/nodes/media/wake", null).statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/nodes/media/wake", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/nodes/media/wake", "Bearer " + TOKEN + "x").statusCode())
        .isEqualTo(401);
    assertThat(post("/api/v1/nodes/media/wake", "Basic " + TOKEN).statusCode()).isEqualTo(401);
    assertThat(wakes).isEmpty();
    HttpResponse<String> ok = post("/api/v1/nodes/media/wake", "Bearer " + TOKEN);
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(ok.body()).contains("\"admission\" : \"started\"");
    // The scheme name is case-insensitive (RFC 7235 section 2.1).
    assertThat(post("/api/v1/nodes/media/wake", "bearer " + TOKEN).body()).contains("in-flight");
    assertThat(post("/api/v1/nodes/nosuch/wake", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(5)).until(() -> wakes.size() == 1);
    assertThat(wakes.get(0)).startsWith("media: api request from 127.0.0.1");
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> !state("media").equals("waking"));
    HttpResponse<String> later = post("/api/v1/nodes/media/wake", "Bearer " + TOKEN);
    assertThat(later.statusCode()).isEqualTo(429);
    assertThat(later.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void statusNeedsTheBearerTokenToo() throws Exception {
    for (String refused : new String[] {null, "Bearer wrong", "Basic " + TOKEN}) {
      HttpResponse<String> r = status(refused);
      assertThat(r.statusCode()).as(refused).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
      assertThat(r.body()).doesNotContain("media");
    }
    for (String accepted : new String[] {"Bearer " + TOKEN, "bearer " + TOKEN, "BEARER " + TOKEN}) {
      HttpResponse<String> r = status(accepted);
      assertThat(r.statusCode()).as(accepted).isEqualTo(200);
      assertThat(r.body()).contains("\"name\" : \"media\"").doesNotContain(TOKEN);
    }
  }
}
