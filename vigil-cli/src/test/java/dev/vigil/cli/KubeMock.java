package dev.vigil.cli;

import dev.vigil.apply.Kinds;
import dev.vigil.apply.ObjectRef;
import dev.vigil.apply.Plan;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server for the CLI's tests, in its mixed mode: requests an expectation names
 * get that answer (it cannot do server-side apply itself, so each apply PATCH is an expectation),
 * every other request is served from its in-memory store (CRUD mode). A kubeconfig that points at
 * it is written beside it.
 */
final class KubeMock implements Closeable {
  final KubernetesMockServer server;
  final Path kubeconfig;

  KubeMock(Path dir) throws IOException {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false,
            new VersionInfo.Builder()
                .withMajor("1")
                .withMinor("31")
                .withGitVersion("v1.31.0")
                .build());
    server.init();
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "current-context: lab",
            "clusters:",
            "- name: lab",
            "  cluster: {server: '" + server.url("/").replaceAll("/$", "") + "'}",
            "users:",
            "- name: alice",
            "  user: {token: test-token}",
            "contexts:",
            "- name: lab",
            "  context: {cluster: lab, user: alice}",
            ""));
  }

  /** Every SelfSubjectAccessReview answered allowed (or not). */
  KubeMock rbac(boolean allowed) {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReturn(
            201,
            new SelfSubjectAccessReviewBuilder()
                .withNewStatus()
                .withAllowed(allowed)
                .endStatus()
                .build())
        .always();
    return this;
  }

  /** The REST path of an object. */
  static String path(ObjectRef ref) {
    Kinds.Kind k = Kinds.of(ref).orElseThrow();
    String base = k.group().isEmpty() ? "/api/v1" : "/apis/" + k.group() + "/" + k.version();
    return base
        + (ref.namespace() == null ? "" : "/namespaces/" + ref.namespace())
        + "/"
        + k.plural()
        + "/"
        + ref.name();
  }

  /** Answers the apply PATCH of every planned object with the object itself, as a server would. */
  KubeMock acceptApplies(Plan plan) {
    for (Plan.Step s : plan.steps()) {
      server
          .expect()
          .patch()
          .withPath(path(s.ref()) + "?fieldManager=vigil")
          .andReturn(200, s.object())
          .always();
      server
          .expect()
          .patch()
          .withPath(path(s.ref()) + "?fieldManager=vigil&dryRun=All")
          .andReturn(200, s.object())
          .always();
    }
    return this;
  }

  @Override
  public void close() {
    server.destroy();
  }
}
