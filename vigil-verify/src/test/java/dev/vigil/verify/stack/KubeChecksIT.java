package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.apply.Watch;
import dev.vigil.apply.kube.ClusterTarget;
import dev.vigil.apply.kube.Fabric8Kube;
import dev.vigil.render.k8s.Labels;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster checks through fabric8 against its mock API server: objects and pods in its CRUD
 * store with the status their controllers and the kubelet would report, pod logs by expectation.
 */
class KubeChecksIT {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Fabric8Kube kube;
  private final Expectations ex = new Expectations(Stations.load("default"));

  @BeforeEach
  void start() {
    Map<
            io.fabric8.mockwebserver.ServerRequest,
            java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
        responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    client = server.createClient();
    kube = new Fabric8Kube(client, new ClusterTarget("mock", server.url("/"), ""));
  }

  @AfterEach
  void stop() {
    kube.close();
    server.destroy();
  }

  /** Every workload as its controller reports it once rolled out, every claim Bound. */
  private void allReady() {
    for (Watch w : ex.watches()) {
      HasMetadata o =
          ex.stack().objects().stream()
              .filter(
                  x ->
                      x.getKind().equals(w.ref().kind())
                          && x.getMetadata().getName().equals(w.ref().name()))
              .findFirst()
              .orElse(null);
      if (o instanceof StatefulSet s) {
        int n = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        client
            .resource(
                new StatefulSetBuilder(s)
                    .editMetadata()
                    .withGeneration(1L)
                    .endMetadata()
                    .withNewStatus()
                    .withObservedGeneration(1L)
                    .withReplicas(n)
                    .withReadyReplicas(n)
                    .withUpdatedReplicas(n)
                    .endStatus()
                    .build())
            .create();
      } else if (o instanceof DaemonSet d) {
        client
            .resource(
                new DaemonSetBuilder(d)
                    .editMetadata()
                    .withGeneration(1L)
                    .endMetadata()
                    .withNewStatus()
                    .withObservedGeneration(1L)
                    .withDesiredNumberScheduled(3)
                    .withNumberReady(3)
                    .withUpdatedNumberScheduled(3)
                    .withNumberAvailable(3)
                    .endStatus()
                    .build())
            .create();
      } else if (o instanceof Deployment d) {
        client
            .resource(
                new DeploymentBuilder(d)
                    .editMetadata()
                    .withGeneration(1L)
                    .endMetadata()
                    .withNewStatus()
                    .withObservedGeneration(1L)
                    .withReplicas(1)
                    .withUpdatedReplicas(1)
                    .withAvailableReplicas(1)
                    .withReadyReplicas(1)
                    .endStatus()
                    .build())
            .create();
      } else if (w.ref().kind().equals("PersistentVolumeClaim")) {
        client
            .resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withNamespace(w.ref().namespace())
                    .withName(w.ref().name())
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Bound")
                    .endStatus()
                    .build())
            .create();
      }
    }
  }

  private static Pod pod(
      String ns,
      String name,
      String component,
      String container,
      int restarts,
      String waiting,
      String lastMessage,
      Instant lastEnd) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .addToLabels(Labels.NAME, component)
            .addToLabels(Labels.INSTANCE, "vmstation")
            .endMetadata()
            .withNewSpec()
            .withNodeName("storagenodet3500")
            .endSpec();
    var cs =
        new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
            .withName(container)
            .withRestartCount(restarts);
    if (waiting != null) {
      cs.withNewState().withNewWaiting().withReason(waiting).endWaiting().endState();
    } else {
      cs.withNewState()
          .withNewRunning()
          .withStartedAt("2025-06-01T11:00:00Z")
          .endRunning()
          .endState();
    }
    if (lastMessage != null) {
      cs.withNewLastState()
          .withNewTerminated()
          .withReason("Error")
          .withExitCode(1)
          .withMessage(lastMessage)
          .withFinishedAt(lastEnd.toString())
          .endTerminated()
          .endLastState();
    }
    return b.withNewStatus()
        .withPhase("Running")
        .addToContainerStatuses(cs.build())
        .endStatus()
        .build();
  }

  private static Check find(List<Check> checks, String check) {
    return checks.stream()
        .filter(c -> c.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + check + " in " + checks));
  }

  @Test
  void aReadyStationPassesEveryClusterCheck() {
    allReady();
    client
        .resource(
            pod("monitoring", "prometheus-0", "prometheus", "prometheus", 0, null, null, null))
        .create();
    List<Check> checks = KubeChecks.run(kube, ex, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(checks).extracting(Check::verdict).containsOnly(Verdict.PASS);
    assertThat(find(checks, "StatefulSet monitoring/prometheus").measured()).isEqualTo("1/1 ready");
    assertThat(find(checks, "DaemonSet monitoring-agents/node-exporter").measured())
        .isEqualTo("3/3 nodes ready");
    assertThat(find(checks, "PersistentVolumeClaim monitoring/data-prometheus-0").measured())
        .isEqualTo("Bound");
    assertThat(find(checks, "pods in monitoring").measured()).isEqualTo("1 pods");
  }

  @Test
  void notReadyUnboundAndLoopingAreFailuresWithTheirCause() {
    allReady();
    client
        .resource(
            new StatefulSetBuilder(
                    client.apps().statefulSets().inNamespace("monitoring").withName("loki").get())
                .editStatus()
                .withReadyReplicas(0)
                .endStatus()
                .build())
        .update();
    client
        .resource(
            new PersistentVolumeClaimBuilder(
                    client
                        .persistentVolumeClaims()
                        .inNamespace("monitoring")
                        .withName("data-loki-0")
                        .get())
                .editStatus()
                .withPhase("Pending")
                .endStatus()
                .build())
        .update();
    var lokiSelector =
        ((StatefulSet)
                ex.stack().objects().stream()
                    .filter(
                        o ->
                            o.getMetadata().getName().equals("loki")
                                && o.getKind().equals("StatefulSet"))
                    .findFirst()
                    .orElseThrow())
            .getSpec()
            .getSelector()
            .getMatchLabels();
    client
        .resource(
            new PodBuilder(
                    pod(
                        "monitoring",
                        "loki-0",
                        "loki",
                        "loki",
                        6,
                        "CrashLoopBackOff",
                        "level=error msg=\"error initialising module: store\" err=\"mkdir /var/loki/chunks: permission denied\"",
                        NOW.minusSeconds(60)))
                .editMetadata()
                .addToLabels(lokiSelector)
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            pod(
                "monitoring",
                "grafana-0",
                "grafana",
                "grafana",
                4,
                null,
                "Error: ✗ database is locked",
                NOW.minusSeconds(300)))
        .create();

    List<Check> checks = KubeChecks.run(kube, ex, Clock.fixed(NOW, ZoneOffset.UTC));
    Check loki = find(checks, "StatefulSet monitoring/loki");
    assertThat(loki.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(loki.measured()).isEqualTo("0/1 ready");
    assertThat(loki.detail())
        .contains("0 of 1 pods ready")
        .contains("pod loki-0: CrashLoopBackOff in loki (restarted 6 times)")
        .contains("permission denied");
    Check claim = find(checks, "PersistentVolumeClaim monitoring/data-loki-0");
    assertThat(claim.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(claim.measured()).isEqualTo("Pending");
    Check looping = find(checks, "pod monitoring/loki-0");
    assertThat(looping.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(looping.measured()).isEqualTo("CrashLoopBackOff, 6 restarts");
    Check restarting = find(checks, "pod monitoring/grafana-0");
    assertThat(restarting.verdict()).isEqualTo(Verdict.WARN);
    assertThat(restarting.detail()).isEqualTo("container grafana: Error: ✗ database is locked");
  }

  @Test
  void chronyBlockedByTheHostsNtpDaemonSaysSo() {
    allReady();
    client
        .resource(
            pod("infrastructure", "chrony-cluster-7xk2p", "chrony", "chronyd", 0, null, null, null))
        .create();
    client
        .resource(
            pod(
                "infrastructure",
                "chrony-upstream-q8d4r",
                "chrony",
                "chronyd",
                9,
                "CrashLoopBackOff",
                "2025-06-01T11:59:00Z chronyd version 4.6.1 starting\n2025-06-01T11:59:00Z Could not open NTP socket on 0.0.0.0:123",
                NOW.minusSeconds(40)))
        .create();
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/infrastructure/pods/chrony-cluster-7xk2p/log?pretty=false&container=chronyd&tailLines=200")
        .andReturn(
            200,
            "2025-06-01T11:00:00Z chronyd version 4.6.1 starting (+CMDMON +NTP)\n"
                + "2025-06-01T11:00:00Z Could not open NTP socket on 0.0.0.0:123\n"
                + "2025-06-01T11:00:04Z Selected source 192.168.4.1\n")
        .always();
    List<Check> checks = KubeChecks.run(kube, ex, Clock.fixed(NOW, ZoneOffset.UTC));
    Check running = find(checks, "pod infrastructure/chrony-cluster-7xk2p");
    assertThat(running.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(running.measured()).isEqualTo("serves no NTP");
    assertThat(running.detail())
        .contains("UDP 123 on node storagenodet3500 is held by the host's own NTP daemon")
        .contains("timedatectl set-ntp false");
    Check looping = find(checks, "pod infrastructure/chrony-upstream-q8d4r");
    assertThat(looping.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(looping.measured()).isEqualTo("CrashLoopBackOff, 9 restarts");
    assertThat(looping.detail()).contains("held by the host's own NTP daemon");
  }

  @Test
  void anUndeployedStationIsNamedObjectByObject() {
    List<Check> checks = KubeChecks.run(kube, ex, Clock.fixed(NOW, ZoneOffset.UTC));
    Check prom = find(checks, "StatefulSet monitoring/prometheus");
    assertThat(prom.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(prom.detail()).isEqualTo("not deployed (vigil apply)");
  }
}
