package dev.vigil.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static GenericKubernetesResource o(String yaml) {
    return JSON.unmarshal(yaml, GenericKubernetesResource.class);
  }

  @Test
  void aStatefulSetIsReadyWhenEveryPodRunsTheNewRevisionAndIsReady() {
    String head =
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: prometheus, generation: 3}\nspec: {replicas: 2}\n";
    assertThat(
            Readiness.judge(
                o(head + "status: {observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2}")))
        .extracting(Readiness.State::ready, Readiness.State::message)
        .containsExactly(false, "waiting for the controller to see the new spec");
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 3, readyReplicas: 2, updatedReplicas: 1}"))
                .message())
        .isEqualTo("1 of 2 pods updated");
    assertThat(
            Readiness.judge(
                o(head + "status: {observedGeneration: 3, readyReplicas: 1, updatedReplicas: 2}")))
        .extracting(Readiness.State::done, Readiness.State::total, Readiness.State::message)
        .containsExactly(1, 2, "1 of 2 pods ready");
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 3, readyReplicas: 2, updatedReplicas: 2,"
                            + " currentRevision: prometheus-a, updateRevision: prometheus-b}"))
                .message())
        .isEqualTo("rolling update to revision prometheus-b in progress");
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 3, readyReplicas: 2, updatedReplicas: 2,"
                            + " currentRevision: prometheus-b, updateRevision: prometheus-b}"))
                .ready())
        .isTrue();
    assertThat(Readiness.judge(o(head)).ready()).as("no status yet").isFalse();
  }

  @Test
  void aDaemonSetIsReadyWhenNumberReadyEqualsDesiredNumberScheduled() {
    String head =
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: node-exporter, generation: 1}\n";
    Readiness.State two =
        Readiness.judge(
            o(
                head
                    + "status: {observedGeneration: 1, desiredNumberScheduled: 3,"
                    + " numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2}"));
    assertThat(two)
        .extracting(
            Readiness.State::ready,
            Readiness.State::done,
            Readiness.State::total,
            Readiness.State::message)
        .containsExactly(false, 2, 3, "2 of 3 nodes ready");
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 1, desiredNumberScheduled: 3,"
                            + " numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3}"))
                .ready())
        .isTrue();
    assertThat(
            Readiness.judge(o(head + "status: {observedGeneration: 1, desiredNumberScheduled: 0}")))
        .extracting(Readiness.State::ready, Readiness.State::message)
        .containsExactly(true, "scheduled to no node (no node matches its selector)");
    assertThat(Readiness.judge(o(head + "status: {desiredNumberScheduled: 0}")).ready())
        .as("not yet seen by the controller")
        .isFalse();
  }

  @Test
  void aDeploymentWaitsForOldReplicasToGo() {
    String head =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ksm, generation: 2}\nspec: {replicas: 1}\n";
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1}"))
                .message())
        .isEqualTo("1 old replicas still terminating");
    assertThat(
            Readiness.judge(
                    o(
                        head
                            + "status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1}"))
                .ready())
        .isTrue();
  }

  @Test
  void claimsAreReadyWhenBoundAndJobsWhenCompleteOrFailedForGood() {
    assertThat(
            Readiness.judge(
                    o(
                        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data-loki-0}\n"
                            + "spec: {storageClassName: fast-ssd}\nstatus: {phase: Pending}"))
                .message())
        .isEqualTo("Pending (storage class fast-ssd)");
    assertThat(
            Readiness.judge(
                    o(
                        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nstatus: {phase: Bound}"))
                .ready())
        .isTrue();
    String job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completions: 1}\n";
    assertThat(
            Readiness.judge(
                    o(
                        job
                            + "status: {succeeded: 1, conditions: [{type: Complete, status: 'True'}]}"))
                .ready())
        .isTrue();
    Readiness.State failed =
        Readiness.judge(
            o(
                job
                    + "status: {failed: 6, conditions: [{type: Failed, status: 'True',"
                    + " reason: BackoffLimitExceeded, message: Job has reached the specified backoff limit}]}"));
    assertThat(failed.failed()).isTrue();
    assertThat(failed.message()).contains("BackoffLimitExceeded").contains("backoff limit");
  }

  @Test
  void aPodsTroubleIsTheReasonKubectlShowsWithTheLastRunsMessage() {
    GenericKubernetesResource crash =
        o(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: chrony-cluster-x2}\nstatus:\n"
                + "  phase: Running\n  containerStatuses:\n  - name: chrony\n    restartCount: 7\n"
                + "    state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}\n"
                + "    lastState: {terminated: {reason: Error, exitCode: 1, message: \"line one\\nFatal error : Could not open NTP socket\"}}\n");
    assertThat(PodTrouble.of(crash))
        .hasToString(
            "pod chrony-cluster-x2: CrashLoopBackOff in chrony (restarted 7 times):"
                + " last run Error, exit 1: Fatal error : Could not open NTP socket");
    GenericKubernetesResource pending =
        o(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: loki-0}\nstatus:\n  phase: Pending\n"
                + "  conditions: [{type: PodScheduled, status: 'False', message: '0/3 nodes are available: 3 Insufficient memory.'}]\n");
    assertThat(PodTrouble.of(pending))
        .hasToString("pod loki-0: Pending: 0/3 nodes are available: 3 Insufficient memory.");
    assertThat(
            PodTrouble.of(
                o("apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nstatus: {phase: Running}")))
        .isNull();
  }
}
