package dev.vigil.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.apply.kube.KubeException;
import dev.vigil.render.k8s.Labels;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The whole of {@code vigil apply} against an API server in memory: what it writes, prints and
 * returns.
 */
class DeployTest {
  private final FakeKube kube = new FakeKube();
  private final FakeClock clock = new FakeClock();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static Deploy.Options options(boolean dryRun, boolean prune, Duration timeout) {
    return new Deploy.Options(dryRun, false, prune, true, timeout, Duration.ofSeconds(2));
  }

  private int run(Station s, Plan plan, Deploy.Options o, Consumer<Duration> onSleep) {
    return Deploy.run(
        s,
        plan,
        kube,
        o,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        ProgressLines.plain(new PrintWriter(out, true)),
        clock,
        d -> {
          clock.advance(d);
          onSleep.accept(d);
        });
  }

  /** Creates every Secret the station references, so preflight passes. */
  private void secretsFor(Station s, Plan plan) {
    for (SecretNeeds.Need n : SecretNeeds.of(s, plan)) {
      kube.secret(n.namespace(), n.name(), n.keys().toArray(String[]::new));
    }
  }

  /** What the controllers would report once everything has rolled out. */
  private void everythingUp(Plan plan) {
    for (Watch w : Watch.of(plan)) {
      if (w.ref().kind().equals("PersistentVolumeClaim")) {
        if (kube.live(w.ref()) == null) {
          kube.put(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withNamespace(w.ref().namespace())
                  .withName(w.ref().name())
                  .endMetadata()
                  .build());
        }
        kube.status(w.ref(), Map.of("phase", "Bound"));
        continue;
      }
      GenericKubernetesResource live = kube.live(w.ref());
      Object r = live.get("spec", "replicas");
      int n = r instanceof Number x ? x.intValue() : 3;
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("observedGeneration", live.getMetadata().getGeneration());
      status.put("replicas", n);
      status.put("readyReplicas", n);
      status.put("updatedReplicas", n);
      status.put("availableReplicas", n);
      status.put("desiredNumberScheduled", n);
      status.put("numberReady", n);
      status.put("updatedNumberScheduled", n);
      status.put("numberAvailable", n);
      kube.status(w.ref(), status);
    }
  }

  @Test
  void appliesPhaseByPhaseThenWaitsUntilEverythingIsUp() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    int code = run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> everythingUp(plan));
    assertThat(code).as(out + "\n" + err).isZero();
    List<FakeKube.Write> applies =
        kube.writes.stream().filter(w -> w.verb().equals("apply")).toList();
    assertThat(applies).hasSize(plan.size()).allMatch(w -> !w.dryRun() && !w.force());
    assertThat(applies)
        .extracting(FakeKube.Write::ref)
        .containsExactlyElementsOf(plan.steps().stream().map(Plan.Step::ref).toList());
    assertThat(out.toString())
        .contains("Phase 1/6 namespaces and CRDs", "Phase 5/6 workloads", "Phase 6/6 policies")
        .contains("  created     StatefulSet monitoring/prometheus")
        .contains(
            "Applied "
                + plan.size()
                + " objects: "
                + plan.size()
                + " created, 0 configured, 0 unchanged.")
        .contains("prometheus: ready 1/1 after 2s")
        .contains("The stack is up");
    assertThat(err.toString()).isEmpty();

    out.getBuffer().setLength(0);
    kube.writes.clear();
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {})).isZero();
    assertThat(out.toString()).contains("0 created, 0 configured, " + plan.size() + " unchanged");
  }

  @Test
  void aMissingSecretStopsTheDeployBeforeAnythingIsAppliedAndSaysHowToCreateIt() throws Exception {
    Station s = Stations.load("production");
    Plan plan = Stations.plan(s);
    kube.served.add("cert-manager.io/v1 Certificate");
    kube.put(new NamespaceBuilder().withNewMetadata().withName("monitoring").endMetadata().build());
    kube.secret("monitoring", "alertmanager-receivers", "slack-webhook-url");
    int code = run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {});
    assertThat(code).isEqualTo(Deploy.PROBLEM);
    assertThat(kube.writes).isEmpty();
    assertThat(err.toString())
        .contains("nothing was applied")
        .contains(
            "Secret monitoring/alertmanager-receivers has no key pagerduty-routing-key, smtp-password (it has: slack-webhook-url)")
        .contains("alerting.receivers[0].pagerduty.routingKey")
        .contains(
            "kubectl -n monitoring create secret generic alertmanager-receivers --from-file=pagerduty-routing-key=./pagerduty-routing-key"
                + " --from-file=slack-webhook-url=./slack-webhook-url --from-file=smtp-password=./smtp-password --dry-run=client -o yaml | kubectl apply -f -")
        .contains(
            "Secret monitoring/grafana-oidc does not exist (keys client-secret); used by components.grafana.auth.oidc.clientSecret, StatefulSet monitoring/grafana")
        .contains(
            "kubectl -n monitoring create secret generic grafana-oidc --from-file=client-secret=./client-secret");
  }

  @Test
  void missingCertManagerIsNamedWithBothWaysOut() throws Exception {
    // A cluster that runs its own cert-manager: Vigil renders none.
    Station s = Stations.load("production", "components:\n  certManager: {enabled: false}\n");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    kube.served.add("opentelemetry.io/v1alpha1 Instrumentation");
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(kube.writes).isEmpty();
    assertThat(err.toString())
        .contains("cert-manager is not installed")
        .contains("Ingresses of alertmanager, grafana, loki, prometheus")
        .contains("install cert-manager, or expose the stack through NodePorts instead");

    err.getBuffer().setLength(0);
    kube.served.add("cert-manager.io/v1 Certificate");
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(err.toString()).contains("ClusterIssuer letsencrypt-prod does not exist");
  }

  /**
   * Where Vigil deploys cert-manager, what the cluster lacks are its CRDs, at the version rendered.
   */
  @Test
  void certManagerCrdsAndTheOperatorAreNamedWhereVigilDeploysTheirUsers() throws Exception {
    Station s = Stations.load("production");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(kube.writes).isEmpty();
    assertThat(err.toString())
        .contains(
            "ClusterIssuer (cert-manager.io/v1) is not served by the cluster: Vigil deploys cert-manager's controller")
        .contains("releases/download/v1.21.1/cert-manager.crds.yaml")
        .contains(
            "Instrumentation (opentelemetry.io/v1alpha1) is not served by the cluster: the OpenTelemetry Operator")
        .doesNotContain("IngressClass")
        .doesNotContain("ClusterIssuer letsencrypt-prod does not exist");
  }

  @Test
  void rbacDenialsNameTheVerbsAndResourcesBeforeAnythingIsApplied() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    kube.denied.add("patch statefulsets monitoring");
    kube.denied.add("create clusterroles *");
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(kube.writes).isEmpty();
    assertThat(err.toString())
        .contains("RBAC on context test-context (https://203.0.113.1:6443) refuses 2 of the")
        .contains("cluster-wide: create clusterroles.rbac.authorization.k8s.io")
        .contains("namespace monitoring: patch statefulsets.apps")
        .contains("kubectl auth can-i");
  }

  @Test
  void anotherStationsNamespaceMeansTheWrongContext() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    kube.put(
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("monitoring")
            .addToLabels(Labels.PART_OF, "vigil")
            .addToLabels(Labels.INSTANCE, "rke2")
            .endMetadata()
            .build());
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(err.toString())
        .contains(
            "namespace monitoring on context test-context (https://203.0.113.1:6443)"
                + " belongs to the Vigil station 'rke2' (app.kubernetes.io/instance), not to 'vmstation'");
    assertThat(kube.writes).isEmpty();
  }

  @Test
  void anUnreachableClusterOrExpiredCredentialsChangeNothing() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    kube.failEverything =
        new KubeException(
            KubeException.Reason.UNAUTHORIZED, 401, "the API server refused the credentials");
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(err.toString()).contains("refused the credentials").contains("nothing was applied");
    assertThat(kube.writes).isEmpty();
  }

  @Test
  void aPhaseFailingHalfwaySaysWhatWasAppliedWhatWasNotAndHowToResume() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    ObjectRef loki = new ObjectRef("v1", "Service", "monitoring", "loki");
    kube.failApply.put(
        "/Service/monitoring/loki",
        new KubeException(
            KubeException.Reason.INVALID,
            422,
            "apply Service monitoring/loki: the API server refused it: spec.ports[0].nodePort: Invalid value: 31100: provided port is already allocated"));
    int code = run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {});
    assertThat(code).isEqualTo(Deploy.PROBLEM);
    int at = plan.steps().stream().map(Plan.Step::ref).toList().indexOf(loki);
    assertThat(kube.writes).hasSize(at + 1);
    long servicesBefore =
        plan.phase(Phase.SERVICES).stream()
            .map(Plan.Step::ref)
            .takeWhile(r -> !r.equals(loki))
            .count();
    assertThat(err.toString())
        .contains("phase 4/6 (Services and Ingresses) failed at Service monitoring/loki:")
        .contains("provided port is already allocated")
        .contains(
            "Applied: "
                + at
                + " objects (phases 1, 2, 3 complete, "
                + servicesBefore
                + " of "
                + plan.phase(Phase.SERVICES).size()
                + " in phase 4).")
        .contains("Not applied: " + (plan.size() - at) + " objects")
        .contains("starting with Service monitoring/loki")
        .contains("run the same command again");
    java.nio.file.Path dir =
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "transcripts"));
    java.nio.file.Files.writeString(dir.resolve("apply-halfway.txt"), err.toString());
  }

  @Test
  void conflictsSuggestForceConflictsWhichIsSentOnlyWhenAsked() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    kube.failApply.put(
        "/ConfigMap/monitoring/prometheus-config",
        new KubeException(
            KubeException.Reason.CONFLICT,
            409,
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\": .data.prometheus.yml"));
    assertThat(run(s, plan, options(false, false, Duration.ofMinutes(5)), d -> {}))
        .isEqualTo(Deploy.PROBLEM);
    assertThat(err.toString()).contains("kubectl-client-side-apply").contains("--force-conflicts");
    assertThat(kube.writes).noneMatch(FakeKube.Write::force);

    kube.failApply.clear();
    kube.writes.clear();
    Deploy.Options force =
        new Deploy.Options(false, true, false, false, Duration.ofMinutes(1), Duration.ofSeconds(2));
    assertThat(run(s, plan, force, d -> {})).isZero();
    assertThat(kube.writes).isNotEmpty().allMatch(FakeKube.Write::force);
  }

  @Test
  void aTimeoutWhileWaitingIsExitOneWithWhatIsNotReadyAndWhy() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    boolean[] pod = {false};
    int code =
        run(
            s,
            plan,
            options(false, false, Duration.ofSeconds(30)),
            d -> {
              everythingUp(plan);
              ObjectRef prom = new ObjectRef("apps/v1", "StatefulSet", "monitoring", "prometheus");
              kube.status(
                  prom,
                  Map.of(
                      "observedGeneration",
                      1,
                      "replicas",
                      1,
                      "readyReplicas",
                      0,
                      "updatedReplicas",
                      1));
              if (!pod[0]) {
                StatefulSet st =
                    (StatefulSet)
                        plan.steps().stream()
                            .filter(x -> x.ref().equals(prom))
                            .findFirst()
                            .orElseThrow()
                            .object();
                kube.put(
                    new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("monitoring")
                        .withName("prometheus-0")
                        .withLabels(st.getSpec().getSelector().getMatchLabels())
                        .endMetadata()
                        .withNewStatus()
                        .withPhase("Pending")
                        .addNewContainerStatus()
                        .withName("prometheus")
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage(
                            "Back-off pulling image \"quay.io/prometheus/prometheus:v3.5.0\"")
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build());
                pod[0] = true;
              }
            });
    assertThat(code).as(out + "\n" + err).isEqualTo(Deploy.NOT_READY);
    assertThat(out.toString())
        .contains(
            "prometheus: waiting 0/1 - StatefulSet prometheus: 0 of 1 pods ready; pod prometheus-0:"
                + " ImagePullBackOff in prometheus: Back-off pulling image");
    assertThat(err.toString())
        .contains("everything was applied, but prometheus is not ready after 30s (--timeout)");
    assertThat(clock.instant()).isEqualTo(java.time.Instant.parse("2025-01-01T00:00:30Z"));
  }

  @Test
  void aServerDryRunStoresNothingAndSaysWhatItCouldNotCheck() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    kube.put(new NamespaceBuilder().withNewMetadata().withName("monitoring").endMetadata().build());
    int before = kube.objects.size();
    int code = run(s, plan, options(true, false, Duration.ofMinutes(5)), d -> {});
    assertThat(code).as(err.toString()).isZero();
    assertThat(kube.objects).hasSize(before);
    assertThat(kube.writes).isNotEmpty().allMatch(FakeKube.Write::dryRun);
    assertThat(out.toString())
        .contains("Server dry run of station vmstation")
        .contains("created     StatefulSet monitoring/prometheus")
        .contains(
            "not checked DaemonSet monitoring-agents/node-exporter (namespace monitoring-agents does not exist yet")
        .contains("nothing was changed")
        .doesNotContain("Waiting");
  }

  @Test
  void pruneListsThenDeletesOnlyThisStationsObjectsThatAreNoLongerRendered() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    secretsFor(s, plan);
    Map<String, String> ours = new LinkedHashMap<>(Pruner.stationLabels("vmstation"));
    ours.put(Labels.NAME, "prometheus");
    kube.put(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("prometheus-old-rules")
            .withLabels(ours)
            .endMetadata()
            .build());
    kube.put(
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("data-old-0")
            .withLabels(ours)
            .endMetadata()
            .build());
    Map<String, String> other = new LinkedHashMap<>(Pruner.stationLabels("rke2"));
    kube.put(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("rke2-config")
            .withLabels(other)
            .endMetadata()
            .build());
    int code = run(s, plan, options(false, true, Duration.ofMinutes(5)), d -> everythingUp(plan));
    assertThat(code).as(err.toString()).isZero();
    assertThat(kube.writes.stream().filter(w -> w.verb().equals("delete")).map(FakeKube.Write::ref))
        .containsExactly(new ObjectRef("v1", "ConfigMap", "monitoring", "prometheus-old-rules"));
    String text = out.toString();
    assertThat(
            text.indexOf(
                "delete       ConfigMap monitoring/prometheus-old-rules (component prometheus)"))
        .isGreaterThan(
            text.indexOf(
                "Prune: 1 object labelled as station vmstation is no longer rendered; deleting:"));
    assertThat(kube.live(new ObjectRef("v1", "PersistentVolumeClaim", "monitoring", "data-old-0")))
        .isNotNull();
    assertThat(kube.live(new ObjectRef("v1", "ConfigMap", "monitoring", "rke2-config")))
        .isNotNull();

    // A partial deploy prunes only within its selection.
    kube.put(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("prometheus-old-rules")
            .withLabels(ours)
            .endMetadata()
            .build());
    kube.writes.clear();
    Plan onlyLoki = Stations.plan(s, Set.of("loki"), Set.of(), true);
    assertThat(
            run(
                s,
                onlyLoki,
                options(false, true, Duration.ofMinutes(5)),
                d -> everythingUp(onlyLoki)))
        .isZero();
    assertThat(kube.writes).noneMatch(w -> w.verb().equals("delete"));
  }
}
