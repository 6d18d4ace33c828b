package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.power.SleepSpec;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sleep action with a drain, against the fabric8 mock API server in expectations mode (as in
 * {@link DrainIT}): drained nodes sleep and are uncordoned one interval after the resume; a drain
 * the disruption budget blocks leaves the node awake and schedulable.
 */
class SleepActionIT {
  private static final String PODS = "/api/v1/pods?fieldSelector=spec.nodeName%3Dstorage";
  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private final FakeClock clock = new FakeClock();
  private final List<String> decisions = new ArrayList<>();

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    KubernetesClient base = server.createClient();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(base.getConfiguration()).withRequestRetryBackoffLimit(0).build())
            .build();
    base.close();
    server
        .expect()
        .patch()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200, new NodeBuilder().withNewMetadata().withName("storage").endMetadata().build())
        .always();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200, new NodeBuilder().withNewMetadata().withName("storage").endMetadata().build())
        .always();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private static Pod app() {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("media")
        .withName("jellyfin-0")
        .endMetadata()
        .withNewSpec()
        .withNodeName("storage")
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private SleepAction action(Path log, Duration drainTimeout, MonotonicClock clock) {
    SleepSpec spec =
        new SleepSpec(
            true, drainTimeout, List.of(), List.of("sh", "-c", "echo slept >> '" + log + "'"));
    return new SleepAction(
        "storage",
        spec,
        Duration.ofMinutes(1),
        new PowerContext(
            false, client, clock, new PowerMetrics(new PrometheusRegistry()), decisions::add));
  }

  /** Bodies of the PATCH requests to the node, in order. */
  private List<String> patches() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (r.getMethod().equals("PATCH")) {
        out.add(r.getBody().readUtf8());
      }
    }
    return out;
  }

  @Test
  void drainsSleepsAndUncordonsOneIntervalAfterTheResume() throws Exception {
    server
        .expect()
        .get()
        .withPath(PODS)
        .andReturn(200, new PodListBuilder().withItems(app()).build())
        .once();
    server.expect().get().withPath(PODS).andReturn(200, new PodListBuilder().build()).always();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/media/pods/jellyfin-0/eviction")
        .andReturn(201, new StatusBuilder().withStatus("Success").build())
        .once();
    Path log = dir.resolve("slept");
    SleepAction a = action(log, Duration.ofSeconds(10), clock);

    assertThat(a.run()).isEqualTo("slept");
    assertThat(Files.readString(log)).isEqualTo("slept\n");
    assertThat(patches()).containsExactly("{\"spec\":{\"unschedulable\":true}}");

    clock.advance(Duration.ofSeconds(59));
    a.uncordonIfDue();
    assertThat(patches()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    a.uncordonIfDue();
    a.uncordonIfDue();
    assertThat(patches()).containsExactly("{\"spec\":{\"unschedulable\":false}}");
    assertThat(decisions).contains("uncordoned storage");
  }

  @Test
  void aDrainTheBudgetBlocksLeavesTheNodeAwakeAndSchedulable() throws Exception {
    server
        .expect()
        .get()
        .withPath(PODS)
        .andReturn(200, new PodListBuilder().withItems(app()).build())
        .always();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/media/pods/jellyfin-0/eviction")
        .andReturn(429, new StatusBuilder().withCode(429).withReason("TooManyRequests").build())
        .always();
    Path log = dir.resolve("slept");

    // The drain deadline is on the real monotonic clock: the test clock would never reach it.
    assertThat(action(log, Duration.ofMillis(300), MonotonicClock.SYSTEM).run())
        .isEqualTo("sleep aborted: drain blocked by [media/jellyfin-0 (disruption budget)]");
    assertThat(log).doesNotExist();
    assertThat(patches())
        .containsExactly(
            "{\"spec\":{\"unschedulable\":true}}", "{\"spec\":{\"unschedulable\":false}}");
  }
}
