package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cordon, drain and NodeReady against the fabric8 mock API server in expectations mode (its CRUD
 * mode has no eviction subresource). The eviction API answers 429 while a PodDisruptionBudget
 * forbids the eviction; the drainer must retry, never delete.
 */
class DrainIT {
  private static final String PODS = "/api/v1/pods?fieldSelector=spec.nodeName%3Dstorage";
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    KubernetesClient base = server.createClient();
    // No client-side retry of 429s: the drainer's own retry loop is what is under test.
    client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(base.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    base.close();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private static Pod pod(String ns, String name, String ownerKind) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNodeName("storage")
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus();
    if (ownerKind != null) {
      b.editMetadata()
          .addNewOwnerReference()
          .withKind(ownerKind)
          .withName(name + "-owner")
          .withApiVersion("apps/v1")
          .withUid("u-" + name)
          .endOwnerReference()
          .endMetadata();
    }
    return b.build();
  }

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void cordonsThenEvictsRespectingTheDisruptionBudgetAndSkipsDaemonSets() throws Exception {
    Pod app = pod("media", "jellyfin-0", "StatefulSet");
    Pod ds = pod("monitoring", "node-exporter-x", "DaemonSet");
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200, new NodeBuilder().withNewMetadata().withName("storage").endMetadata().build())
        .always();
    server
        .expect()
        .patch()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200,
            new NodeBuilder()
                .withNewMetadata()
                .withName("storage")
                .endMetadata()
                .withNewSpec()
                .withUnschedulable(true)
                .endSpec()
                .build())
        .once();
    server
        .expect()
        .get()
        .withPath(PODS)
        .andReturn(200, new PodListBuilder().withItems(app, ds).build())
        .times(2);
    server
        .expect()
        .get()
        .withPath(PODS)
        .andReturn(200, new PodListBuilder().withItems(ds).build())
        .once();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/media/pods/jellyfin-0/eviction")
        .andReturn(
            429,
            new StatusBuilder()
                .withCode(429)
                .withReason("TooManyRequests")
                .withMessage("Cannot evict pod as it would violate the pod's disruption budget.")
                .build())
        .once();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/media/pods/jellyfin-0/eviction")
        .andReturn(201, new StatusBuilder().withStatus("Success").build())
        .once();

    Drainer d = new Drainer(client, MonotonicClock.SYSTEM, Duration.ofMillis(100));
    d.cordon("storage");
    Drainer.Result r = d.drain("storage", Duration.ofSeconds(10));

    assertThat(r.drained()).isTrue();
    assertThat(r.evicted()).isEqualTo(1);
    List<RecordedRequest> reqs = requests();
    RecordedRequest patch =
        reqs.stream().filter(q -> q.getMethod().equals("PATCH")).findFirst().orElseThrow();
    assertThat(patch.getBody().readUtf8()).isEqualTo("{\"spec\":{\"unschedulable\":true}}");
    assertThat(patch.getHeader("Content-Type")).contains("strategic-merge-patch");
    List<String> evictions =
        reqs.stream()
            .filter(q -> q.getPath().endsWith("/eviction"))
            .map(RecordedRequest::getPath)
            .toList();
    assertThat(evictions)
        .containsExactly(
            "/api/v1/namespaces/media/pods/jellyfin-0/eviction",
            "/api/v1/namespaces/media/pods/jellyfin-0/eviction");
    assertThat(reqs).noneMatch(q -> q.getMethod().equals("DELETE"));
  }

  @Test
  void givesUpAtTheDeadlineWhileTheBudgetBlocksAndUncordons() throws Exception {
    Pod app = pod("media", "jellyfin-0", "StatefulSet");
    server
        .expect()
        .get()
        .withPath(PODS)
        .andReturn(200, new PodListBuilder().withItems(app).build())
        .always();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/media/pods/jellyfin-0/eviction")
        .andReturn(429, new StatusBuilder().withCode(429).withReason("TooManyRequests").build())
        .always();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200, new NodeBuilder().withNewMetadata().withName("storage").endMetadata().build())
        .always();
    server
        .expect()
        .patch()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200, new NodeBuilder().withNewMetadata().withName("storage").endMetadata().build())
        .always();

    Drainer d = new Drainer(client, MonotonicClock.SYSTEM, Duration.ofMillis(100));
    Drainer.Result r = d.drain("storage", Duration.ofMillis(500));
    assertThat(r.drained()).isFalse();
    assertThat(r.blocked()).containsExactly("media/jellyfin-0 (disruption budget)");
    d.uncordon("storage");
    List<RecordedRequest> reqs = requests();
    RecordedRequest last =
        reqs.stream().filter(q -> q.getMethod().equals("PATCH")).reduce((a, b) -> b).orElseThrow();
    assertThat(last.getBody().readUtf8()).isEqualTo("{\"spec\":{\"unschedulable\":false}}");
    assertThat(reqs).noneMatch(q -> q.getMethod().equals("DELETE"));
  }

  @Test
  void nodeReadyReadsTheReadyCondition() {
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200,
            new NodeBuilder()
                .withNewMetadata()
                .withName("storage")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/storage")
        .andReturn(
            200,
            new NodeBuilder()
                .withNewMetadata()
                .withName("storage")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("Unknown")
                .endCondition()
                .endStatus()
                .build())
        .once();
    assertThat(WakeVerifier.nodeReady(client, "storage")).isTrue();
    assertThat(WakeVerifier.nodeReady(client, "storage")).isFalse();
    assertThat(WakeVerifier.nodeReady(client, "storage")).as("404 from the API").isFalse();
  }
}
