package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wake controller on loopback: a node is awake while its verify port accepts connections and
 * asleep when it refuses them; triggers act only on a sleeping node; a finished wake updates the
 * status and the metrics. The wake itself is recorded, never sent.
 */
class WakeControllerIT {
  private final FakeClock clock = new FakeClock();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<String> decisions = Collections.synchronizedList(new ArrayList<>());
  private final List<String> wakes = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private WakeController controller;
  private Map<String, ManagedNode> nodes;
  private ServerSocket node;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (controller != null) {
      controller.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private Map<String, ManagedNode> nodes(String yaml) {
    Map<String, ManagedNode> out = new LinkedHashMap<>();
    Specs.power(yaml)
        .nodes()
        .forEach((name, spec) -> out.put(name, ManagedNode.of(name, spec, null, Map.of())));
    return out;
  }

  private WakeController start(int verifyPort, WakeCoordinator.Outcome outcome) {
    String yaml =
        """
        enabled: true
        controller: master
        wake: {verifyPort: %d, backoff: 30s}
        nodes:
          master: {sleepable: false}
          media:
            mac: b8:ac:6f:7e:6c:9d
            address: 127.0.0.1
            idle: {checks: [{kind: users}]}
            triggers: {interval: 1s}
        """
            .formatted(verifyPort);
    nodes = nodes(yaml);
    controller =
        new WakeController(
            nodes,
            "master",
            Specs.power(yaml).wake(),
            "http://127.0.0.1:9",
            Path.of("/proc/net"),
            (n, reason) -> {
              wakes.add(n + ": " + reason);
              release.await();
              return outcome;
            },
            new PowerContext(false, null, clock, new PowerMetrics(registry), decisions::add));
    return controller;
  }

  private NodeState state(String name) {
    return nodes.get(name).state;
  }

  @Test
  void watchesTheNodeAndWakesItOnlyWhenItSleeps() throws Exception {
    node = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    WakeController c =
        start(node.getLocalPort(), new WakeCoordinator.Outcome(true, Duration.ofSeconds(12), "up"));
    assertThat(c.watch(Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.describe()).isEqualTo("controller role: watching [media], waking [media]");

    c.tick();
    assertThat(state("media")).isEqualTo(NodeState.AWAKE);
    assertThat(decisions).contains("media: unknown -> awake");
    assertThat(c.trigger("media", "syslog matched")).isNull();
    assertThat(wakes).isEmpty();

    int port = node.getLocalPort();
    node.close();
    c.tick();
    assertThat(state("media")).isEqualTo(NodeState.SLEEPING);
    assertThat(decisions).contains("media: awake -> sleeping");

    assertThat(c.trigger("media", "syslog matched")).isEqualTo(WakeCoordinator.Admission.STARTED);
    assertThat(c.trigger("media", "again")).isEqualTo(WakeCoordinator.Admission.IN_FLIGHT);
    assertThat(state("media")).isEqualTo(NodeState.WAKING);
    c.tick();
    assertThat(state("media")).as("a wake in flight is not probed").isEqualTo(NodeState.WAKING);
    await().atMost(Duration.ofSeconds(5)).until(() -> wakes.size() == 1);
    assertThat(wakes).containsExactly("media: syslog matched");

    // The node comes up: the wake finishes with its latency.
    node = new ServerSocket(port, 5, InetAddress.getLoopbackAddress());
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> state("media") == NodeState.AWAKE);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Metrics.value(registry, "vigil_power_wakes", "node", "media", "result", "woke")
                    == 1);
    HistogramSnapshot.HistogramDataPointSnapshot latency =
        Metrics.histogram(registry, "vigil_power_wake_latency_seconds", "node", "media");
    assertThat(latency.getCount()).isEqualTo(1);
    assertThat(latency.getSum()).isEqualTo(12.0);
    List<ClassicHistogramBucket> buckets = new ArrayList<>();
    latency.getClassicBuckets().forEach(buckets::add);
    assertThat(buckets)
        .filteredOn(b -> b.getCount() > 0)
        .extracting(ClassicHistogramBucket::getUpperBound)
        .containsExactly(15.0);
    assertThat(decisions).contains("wake of media woke after 12000 ms: up");
    PowerStatus.NodeStatus s = nodes.get("media").status(ManagedNode.View.OTHER_NODE);
    assertThat(s.lastWakeReason()).isEqualTo("syslog matched");
    assertThat(s.lastWakeResult()).isEqualTo("woke: up");
    assertThat(s.lastWakeLatencySeconds()).isEqualTo(12.0);
    assertThat(s.lastWakeAt())
        .isEqualTo(java.time.Instant.ofEpochMilli(clock.wallMillis()).toString());
    c.tick();
    assertThat(state("media")).isEqualTo(NodeState.AWAKE);
  }

  @Test
  void anExplicitRequestGoesThroughWhateverTheStateAndAFailureBacksOff() throws Exception {
    WakeController c =
        start(Specs.closedPort(), new WakeCoordinator.Outcome(false, Duration.ZERO, "no answer"));
    assertThatThrownBy(() -> c.request("nosuch", "api"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(state("media")).isEqualTo(NodeState.UNKNOWN);
    assertThat(c.request("media", "api request from 127.0.0.1"))
        .isEqualTo(WakeCoordinator.Admission.STARTED);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> state("media") == NodeState.SLEEPING);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Metrics.value(registry, "vigil_power_wakes", "node", "media", "result", "failed")
                    == 1);
    assertThat(Metrics.histogram(registry, "vigil_power_wake_latency_seconds", "node", "media"))
        .as("only successful wakes have a latency")
        .isNull();
    assertThat(nodes.get("media").status(ManagedNode.View.OTHER_NODE).lastWakeResult())
        .isEqualTo("failed: no answer");
    assertThat(c.retryAfter("media")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.request("media", "again")).isEqualTo(WakeCoordinator.Admission.BACKOFF);
    assertThat(
            Metrics.value(
                registry, "vigil_power_wakes_suppressed", "node", "media", "why", "backoff"))
        .isEqualTo(1);
  }
}
