package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.apply.Plan;
import dev.vigil.apply.Planner;
import dev.vigil.apply.Selection;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil apply} and {@code vigil diff} end to end through fabric8 against its mock API
 * server: every bad input a person meets — an unreachable or refusing API server, missing CRDs,
 * forbidden verbs, a missing Secret, a wait that times out — gives one clear message and the
 * documented exit code, never a stack trace.
 */
class ApplyCommandIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Vigil.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    Run r = new Run(code, out.toString(), err.toString());
    assertThat(r.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
    return r;
  }

  /** Keeps a run's output for the docs' transcripts (target/transcripts). */
  static void transcript(String name, Run r, String... shownArgs) throws java.io.IOException {
    Path dir = Files.createDirectories(Path.of("target", "transcripts"));
    Files.writeString(
        dir.resolve(name + ".txt"),
        "$ vigil "
            + String.join(" ", shownArgs)
            + "\n"
            + r.out()
            + r.err()
            + "$ echo $?\n"
            + r.exit()
            + "\n");
  }

  private static String[] args(KubeMock mock, String... more) {
    List<String> a = new ArrayList<>(List.of(more));
    a.add("--kubeconfig");
    a.add(mock.kubeconfig.toString());
    a.add("--progress");
    a.add("plain");
    return a.toArray(String[]::new);
  }

  private static Plan plan(String station, Set<String> only) throws Exception {
    Station s = Stations.load(station);
    RenderedStack stack = Stations.render(station);
    return Planner.plan(
        s.cluster().name(),
        stack,
        Selection.select(
            ComponentRegistry.load(), stack.components().keySet(), only, Set.of(), true));
  }

  @Test
  void anApiServerNobodyAnswersAtIsNamedWithItsContext() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path kubeconfig = dir.resolve("dead");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "current-context: homelab",
            "clusters:",
            "- name: homelab",
            "  cluster: {server: 'http://127.0.0.1:" + port + "'}",
            "users:",
            "- name: admin",
            "  user: {token: t}",
            "contexts:",
            "- name: homelab",
            "  context: {cluster: homelab, user: admin}",
            ""));
    Run r = vigil("apply", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "5s");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "cannot reach the Kubernetes API server of context homelab (http://127.0.0.1:"
                + port
                + ")")
        .contains("connection refused")
        .contains("nothing was applied");
    Run wrong = vigil("diff", "--kubeconfig", kubeconfig.toString(), "--context", "production");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("--context production: no such context in the kubeconfig (contexts: homelab)");
  }

  /**
   * An API server refuses an expired token on every request, /version included, with a 401 and a
   * Status body; a loopback HTTP server that answers exactly that stands in for it.
   */
  @Test
  void expiredCredentialsAreSaidToBeExpired() throws Exception {
    com.sun.net.httpserver.HttpServer refusing =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    byte[] body =
        ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    refusing.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(401, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    refusing.start();
    try {
      Path kubeconfig = dir.resolve("expired");
      Files.writeString(
          kubeconfig,
          String.join(
              "\n",
              "apiVersion: v1",
              "kind: Config",
              "current-context: lab",
              "clusters:",
              "- name: lab",
              "  cluster: {server: 'http://127.0.0.1:" + refusing.getAddress().getPort() + "'}",
              "users:",
              "- name: alice",
              "  user: {token: expired-token}",
              "contexts:",
              "- name: lab",
              "  context: {cluster: lab, user: alice}",
              ""));
      Run r = vigil("apply", "--kubeconfig", kubeconfig.toString());
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.err())
          .contains("refused the credentials of user alice (401 Unauthorized)")
          .contains("expired or been revoked; log in again");
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void forbiddenVerbsAreListedBeforeAnythingIsApplied() throws Exception {
    try (KubeMock mock = new KubeMock(dir)) {
      mock.rbac(false);
      Run r = vigil(args(mock, "apply", "--only", "loki"));
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.err())
          .contains("RBAC on context lab")
          .contains("namespace monitoring: get serviceaccounts, create serviceaccounts")
          .contains("get statefulsets.apps, create statefulsets.apps, patch statefulsets.apps")
          .contains("cluster-wide: get namespaces, create namespaces, patch namespaces");
      assertThat(mock.server.getRequestCount()).isPositive();
    }
  }

  @Test
  void missingCrdsAndSecretsAreNamedWithTheCommandsThatFixThem() throws Exception {
    try (KubeMock mock = new KubeMock(dir)) {
      mock.rbac(true);
      mock.server.expect().get().withPath("/apis/cert-manager.io/v1").andReturn(404, "").always();
      Run r = vigil(args(mock, "apply", "-f", Stations.specFile("production").toString()));
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      transcript("apply-preflight", r, "apply", "-f", "examples/production/vigil.yaml");
      assertThat(r.err())
          .contains(
              "ClusterIssuer (cert-manager.io/v1) is not served by the cluster: Vigil deploys cert-manager's controller")
          .contains("cert-manager.crds.yaml")
          .contains("Secret monitoring/alertmanager-receivers does not exist")
          .contains("kubectl create namespace monitoring")
          .contains(
              "kubectl -n monitoring create secret generic grafana-oidc --from-file=client-secret=./client-secret");
    }
  }

  @Test
  void aWaitThatTimesOutIsExitOneAfterEverythingWasApplied() throws Exception {
    Plan plan = plan("default", Set.of("prometheus"));
    try (KubeMock mock = new KubeMock(dir)) {
      mock.rbac(true).acceptApplies(plan);
      long start = System.nanoTime();
      Run r = vigil(args(mock, "apply", "--only", "prometheus", "--timeout", "3s"));
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      transcript(
          "apply-timeout",
          r,
          "apply",
          "--only",
          "prometheus",
          "--timeout",
          "3s",
          "--progress",
          "plain");
      assertThat(r.out())
          .contains("Applied " + plan.size() + " objects: " + plan.size() + " created")
          .contains("also applying alertmanager: prometheus talks to its Service")
          .contains(
              "prometheus: waiting - StatefulSet prometheus: StatefulSet monitoring/prometheus does not exist (yet)");
      assertThat(r.err())
          .contains(
              "everything was applied, but alertmanager, prometheus are not ready after 3s (--timeout)");
      assertThat(seconds).isBetween(3L, 60L);
    }
  }

  @Test
  void aReadyStackIsExitZeroAndAServerDryRunChangesNothing() throws Exception {
    Plan plan = plan("default", Set.of("alertmanager"));
    try (KubeMock mock = new KubeMock(dir)) {
      mock.rbac(true).acceptApplies(plan);
      KubernetesClient c = mock.server.createClient();
      // The objects exist with the status their controllers report once rolled out.
      for (Plan.Step s : plan.steps()) {
        var o = s.object();
        if (o instanceof io.fabric8.kubernetes.api.model.Namespace) {
          c.resource(o).create();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet st) {
          var ready =
              new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(st)
                  .editMetadata()
                  .withGeneration(1L)
                  .endMetadata()
                  .withNewStatus()
                  .withObservedGeneration(1L)
                  .withReplicas(1)
                  .withReadyReplicas(1)
                  .withUpdatedReplicas(1)
                  .endStatus()
                  .build();
          c.resource(ready).create();
          c.persistentVolumeClaims()
              .inNamespace("monitoring")
              .resource(
                  new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                      .withNewMetadata()
                      .withName("data-alertmanager-0")
                      .endMetadata()
                      .withNewStatus()
                      .withPhase("Bound")
                      .endStatus()
                      .build())
              .create();
        }
      }
      // The live routing differs from the render: diff shows it, as the server would apply it.
      var cm =
          (io.fabric8.kubernetes.api.model.ConfigMap)
              plan.steps().stream()
                  .map(Plan.Step::object)
                  .filter(o -> o.getMetadata().getName().equals("alertmanager-config"))
                  .findFirst()
                  .orElseThrow();
      c.resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm)
                  .withData(
                      Map.of(
                          "alertmanager.yml",
                          cm.getData()
                              .get("alertmanager.yml")
                              .replace("repeat_interval: 4h", "repeat_interval: 12h")))
                  .build())
          .create();
      Run diff =
          vigil("diff", "--only", "alertmanager", "--kubeconfig", mock.kubeconfig.toString());
      assertThat(diff.exit()).as(diff.toString()).isEqualTo(1);
      assertThat(diff.out()).contains("-      repeat_interval: 12h\n+      repeat_interval: 4h\n");
      transcript("diff", diff, "diff", "--only", "alertmanager");
      Run dry = vigil(args(mock, "apply", "--only", "alertmanager", "--dry-run=server"));
      assertThat(dry.exit()).as(dry.toString()).isZero();
      transcript("apply-dry-run", dry, "apply", "--only", "alertmanager", "--dry-run=server");
      assertThat(dry.out())
          .contains("Server dry run of station vmstation")
          .contains("nothing was changed");
      Run r = vigil(args(mock, "apply", "--only", "alertmanager", "--timeout", "30s"));
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out())
          .contains("alertmanager: ready 1/1")
          .contains("The stack is up: 1 component ready");
      transcript("apply", r, "apply", "--only", "alertmanager", "--progress", "plain");
      c.close();
    }
  }

  @Test
  void aClientSideDryRunIsNotAnApply() {
    Run r = vigil("apply", "--dry-run=client");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "--dry-run: expected server (or none), got 'client'; a client-side dry run is `vigil render`");
  }
}
