package dev.vigil.apply.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.apply.Kinds;
import dev.vigil.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Fabric8Kube} sends to an API server, checked against fabric8's mock server in
 * expectations mode (it records each request; it does not implement server-side apply itself), and
 * how it reports what the server answers.
 */
class Fabric8KubeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Fabric8Kube kube;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    kube = new Fabric8Kube(client, new ClusterTarget("lab", server.url("/"), "alice"));
  }

  @AfterEach
  void stop() {
    kube.close();
    server.destroy();
  }

  private RecordedRequest next() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  private static ConfigMap configMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("monitoring")
        .withName("prometheus-config")
        .addToLabels("app.kubernetes.io/name", "prometheus")
        .endMetadata()
        .addToData("prometheus.yml", "global:\n  scrape_interval: 30s\n")
        .build();
  }

  @Test
  void serverSideApplyIsAnApplyPatchWithTheVigilFieldManager() throws Exception {
    ConfigMap cm = configMap();
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/monitoring/configmaps/prometheus-config?fieldManager=vigil")
        .andReturn(200, cm)
        .once();
    var applied = kube.apply(cm, false, false);
    RecordedRequest r = next();
    assertThat(r.getMethod()).isEqualTo("PATCH");
    assertThat(r.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(r.getPath())
        .isEqualTo("/api/v1/namespaces/monitoring/configmaps/prometheus-config?fieldManager=vigil");
    JsonNode body = JSON.readTree(r.getBody().readUtf8());
    assertThat(body.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(body.path("metadata").path("name").asText()).isEqualTo("prometheus-config");
    assertThat(body.path("data").path("prometheus.yml").asText()).contains("scrape_interval: 30s");
    assertThat(body.path("metadata").has("resourceVersion")).isFalse();
    assertThat(applied.getMetadata().getName()).isEqualTo("prometheus-config");
  }

  @Test
  void forceAndDryRunAreSentOnlyWhenAsked() throws Exception {
    HasMetadata sts =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("prometheus")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build();
    String base = "/apis/apps/v1/namespaces/monitoring/statefulsets/prometheus?fieldManager=vigil";
    server.expect().patch().withPath(base + "&force=true").andReturn(200, sts).once();
    server.expect().patch().withPath(base + "&dryRun=All").andReturn(200, sts).once();
    server.expect().patch().withPath(base + "&dryRun=All&force=true").andReturn(200, sts).once();
    kube.apply(sts, false, true);
    assertThat(next().getPath()).isEqualTo(base + "&force=true");
    kube.apply(sts, true, false);
    RecordedRequest dry = next();
    assertThat(dry.getPath()).isEqualTo(base + "&dryRun=All");
    assertThat(dry.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    kube.apply(sts, true, true);
    assertThat(next().getPath()).isEqualTo(base + "&dryRun=All&force=true");
  }

  private void answer(int code, String reason, String message) {
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/monitoring/configmaps/prometheus-config?fieldManager=vigil")
        .andReturn(
            code,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build())
        .once();
  }

  @Test
  void refusalsBecomeMessagesThatSayWhatWasRefusedAndWhy() {
    answer(401, "Unauthorized", "Unauthorized");
    assertThatThrownBy(() -> kube.apply(configMap(), false, false))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(KubeException.Reason.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .contains("refused the credentials of user alice (401 Unauthorized)")
                  .contains("expired or been revoked")
                  .contains("context lab");
            });
    answer(
        403,
        "Forbidden",
        "configmaps \"prometheus-config\" is forbidden: User \"alice\" cannot patch resource"
            + " \"configmaps\" in API group \"\" in the namespace \"monitoring\"");
    assertThatThrownBy(() -> kube.apply(configMap(), false, false))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(KubeException.Reason.FORBIDDEN);
              assertThat(e.getMessage())
                  .contains("RBAC refused to apply ConfigMap monitoring/prometheus-config")
                  .contains("cannot patch resource \"configmaps\"");
            });
    answer(
        409,
        "Conflict",
        "Apply failed with 1 conflict: conflict with \"helm\" using v1: .data.prometheus.yml");
    assertThatThrownBy(() -> kube.apply(configMap(), false, false))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> assertThat(e.reason()).isEqualTo(KubeException.Reason.CONFLICT));
    answer(
        422, "Invalid", "ConfigMap \"prometheus-config\" is invalid: metadata.name: Invalid value");
    assertThatThrownBy(() -> kube.apply(configMap(), false, false))
        .isInstanceOfSatisfying(
            KubeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(KubeException.Reason.INVALID);
              assertThat(e.getMessage())
                  .contains("the API server refused it")
                  .contains("metadata.name: Invalid value");
            });
  }

  @Test
  void anApiServerThatDoesNotAnswerIsNamedWithTheContext() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var config =
        new io.fabric8.kubernetes.client.ConfigBuilder()
            .withMasterUrl("https://127.0.0.1:" + port)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2000)
            .withRequestTimeout(2000)
            .build();
    try (Fabric8Kube dead =
        new Fabric8Kube(
            new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build(),
            new ClusterTarget("lab", "https://127.0.0.1:" + port, "alice"))) {
      assertThatThrownBy(dead::serverVersion)
          .isInstanceOfSatisfying(
              KubeException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(KubeException.Reason.UNREACHABLE);
                assertThat(e.getMessage())
                    .contains(
                        "cannot reach the Kubernetes API server of context lab (https://127.0.0.1:"
                            + port
                            + ")")
                    .contains("right context");
              });
    }
  }

  @Test
  void discoveryTellsWhetherACrdIsInstalled() throws Exception {
    server.expect().get().withPath("/apis/cert-manager.io/v1").andReturn(404, "").once();
    assertThat(kube.serves("cert-manager.io/v1", "Certificate")).isFalse();
    server
        .expect()
        .get()
        .withPath("/apis/cert-manager.io/v1")
        .andReturn(
            200,
            new APIResourceListBuilder()
                .withGroupVersion("cert-manager.io/v1")
                .addNewResource()
                .withKind("Certificate")
                .withName("certificates")
                .withNamespaced(true)
                .endResource()
                .addNewResource()
                .withKind("Certificate")
                .withName("certificates/status")
                .withNamespaced(true)
                .endResource()
                .build())
        .once();
    assertThat(kube.serves("cert-manager.io/v1", "Certificate")).isTrue();
  }

  @Test
  void accessChecksAreSelfSubjectAccessReviews() throws Exception {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReturn(
            201,
            new SelfSubjectAccessReviewBuilder()
                .withNewStatus()
                .withAllowed(false)
                .endStatus()
                .build())
        .once();
    assertThat(kube.allowed("patch", "apps", "statefulsets", "monitoring")).isFalse();
    JsonNode body = JSON.readTree(next().getBody().readUtf8());
    JsonNode attrs = body.path("spec").path("resourceAttributes");
    assertThat(attrs.path("verb").asText()).isEqualTo("patch");
    assertThat(attrs.path("group").asText()).isEqualTo("apps");
    assertThat(attrs.path("resource").asText()).isEqualTo("statefulsets");
    assertThat(attrs.path("namespace").asText()).isEqualTo("monitoring");
  }

  @Test
  void aContextThatIsNotInTheKubeconfigIsNamedWithTheOnesThatAre(@TempDir Path dir)
      throws Exception {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "current-context: lab",
            "clusters:",
            "- name: lab",
            "  cluster: {server: 'https://127.0.0.1:1'}",
            "users:",
            "- name: alice",
            "  user: {token: abc}",
            "contexts:",
            "- name: lab",
            "  context: {cluster: lab, user: alice}",
            "- name: prod",
            "  context: {cluster: lab, user: alice}",
            ""));
    assertThatThrownBy(() -> Fabric8Kube.connect(kubeconfig, "staging", Duration.ofSeconds(5)))
        .hasMessageContaining(
            "--context staging: no such context in the kubeconfig (contexts: lab, prod)");
    assertThatThrownBy(
            () -> Fabric8Kube.connect(dir.resolve("missing"), null, Duration.ofSeconds(5)))
        .hasMessageContaining("cannot read the kubeconfig " + dir.resolve("missing"));
    try (Fabric8Kube k = Fabric8Kube.connect(kubeconfig, "prod", Duration.ofSeconds(5))) {
      assertThat(k.target().context()).isEqualTo("prod");
      assertThat(k.target().user()).isEqualTo("alice");
      assertThat(k.target().server()).startsWith("https://127.0.0.1:1");
    }
  }

  /** The mock server in CRUD mode: it stores what is created and answers reads from it. */
  static KubernetesMockServer crudServer() {
    Map<
            io.fabric8.mockwebserver.ServerRequest,
            java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
        responses = new java.util.HashMap<>();
    return new KubernetesMockServer(
        new io.fabric8.mockwebserver.Context(),
        new io.fabric8.mockwebserver.MockWebServer(),
        responses,
        new io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher(responses),
        false);
  }

  @Test
  void readsListsAndDeletesAgainstTheCrudServer() throws Exception {
    KubernetesMockServer crud = crudServer();
    crud.init();
    try (KubernetesClient c = crud.createClient();
        Fabric8Kube k = new Fabric8Kube(c, new ClusterTarget("crud", crud.url("/"), ""))) {
      Map<String, String> labels =
          Map.of("app.kubernetes.io/part-of", "vigil", "app.kubernetes.io/instance", "lab");
      c.configMaps()
          .inNamespace("monitoring")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("a")
                  .withLabels(labels)
                  .endMetadata()
                  .build())
          .create();
      c.configMaps()
          .inNamespace("other")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("b")
                  .withLabels(labels)
                  .endMetadata()
                  .build())
          .create();
      c.configMaps()
          .inNamespace("monitoring")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build())
          .create();
      c.secrets()
          .inNamespace("monitoring")
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("alertmanager-receivers")
                  .endMetadata()
                  .addToData("slack-webhook-url", "aHR0cHM6Ly9leGFtcGxlLm9yZy9ob29r")
                  .build())
          .create();
      Kinds.Kind cm =
          Kinds.all().stream().filter(x -> x.kind().equals("ConfigMap")).findFirst().orElseThrow();
      assertThat(k.list(cm, null, labels))
          .extracting(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
          .containsExactlyInAnyOrder("monitoring/a", "other/b");
      assertThat(k.list(cm, "monitoring", Map.of())).hasSize(2);
      assertThat(k.get(new ObjectRef("v1", "ConfigMap", "monitoring", "a"))).isPresent();
      assertThat(k.get(new ObjectRef("v1", "ConfigMap", "monitoring", "zzz"))).isEmpty();
      assertThat(k.secretKeys("monitoring", "alertmanager-receivers"))
          .contains(java.util.Set.of("slack-webhook-url"));
      assertThat(k.secretValue("monitoring", "alertmanager-receivers", "slack-webhook-url"))
          .contains("https://example.org/hook");
      assertThat(k.secretKeys("monitoring", "grafana-oidc")).isEmpty();
      k.delete(new ObjectRef("v1", "ConfigMap", "other", "b"));
      assertThat(k.list(cm, null, labels)).hasSize(1);
    } finally {
      crud.destroy();
    }
  }
}
