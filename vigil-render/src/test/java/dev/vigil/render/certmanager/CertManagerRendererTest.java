package dev.vigil.render.certmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertManagerRendererTest {
  private static Rendered production(String... more) {
    String[] all = new String[more.length + 1];
    all[0] = TestStations.PRODUCTION;
    System.arraycopy(more, 0, all, 1, more.length);
    return Rendered.of(new CertManagerRenderer(), TestStations.with(all));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> acme(Rendered r, String issuer) {
    GenericKubernetesResource ci = r.one(GenericKubernetesResource.class, issuer);
    assertThat(ci.getKind()).isEqualTo("ClusterIssuer");
    return (Map<String, Object>)
        ((Map<String, Object>) ci.getAdditionalProperties().get("spec")).get("acme");
  }

  @Test
  void onInProductionOffInHomelab() {
    assertThat(new CertManagerRenderer().enabled(TestStations.defaults())).isFalse();
    assertThat(new CertManagerRenderer().enabled(TestStations.with(TestStations.PRODUCTION)))
        .isTrue();
    assertThat(
            new CertManagerRenderer()
                .enabled(
                    TestStations.with(
                        TestStations.PRODUCTION, "components:\n  certManager: {enabled: false}\n")))
        .isFalse();
  }

  /** The issuer the Ingresses name by default exists, next to its staging twin. */
  @Test
  void stagingAndProductionIssuersSolveThroughTheIngressClass() {
    Rendered r = production("components:\n  certManager: {email: ops@example.org}\n");
    assertThat(acme(r, "letsencrypt-prod").get("server"))
        .isEqualTo("https://acme-v02.api.letsencrypt.org/directory");
    assertThat(acme(r, "letsencrypt-staging").get("server"))
        .isEqualTo("https://acme-staging-v02.api.letsencrypt.org/directory");
    assertThat(acme(r, "letsencrypt-prod").get("email")).isEqualTo("ops@example.org");
    assertThat(acme(r, "letsencrypt-prod").get("solvers"))
        .isEqualTo(
            List.of(Map.of("http01", Map.of("ingress", Map.of("ingressClassName", "nginx")))));
    assertThat(TestStations.with(TestStations.PRODUCTION).exposure().ingress().clusterIssuer())
        .isEqualTo("letsencrypt-prod");
  }

  @Test
  void dns01TakesItsCredentialsFromSecrets() {
    Rendered r =
        production(
            "components:\n  certManager:\n    dns01:\n      provider: cloudflare\n"
                + "      apiToken: {secret: {name: cloudflare, key: token}}\n");
    assertThat(acme(r, "letsencrypt-prod").get("solvers"))
        .isEqualTo(
            List.of(
                Map.of(
                    "dns01",
                    Map.of(
                        "cloudflare",
                        Map.of(
                            "apiTokenSecretRef", Map.of("name", "cloudflare", "key", "token"))))));
    assertThat(problems("components:\n  certManager:\n    dns01: {provider: cloudflare}\n"))
        .anySatisfy(p -> assertThat(p).contains("components.certManager.dns01.apiToken"));
    assertThat(
            problems(
                "components:\n  certManager:\n    dns01: {provider: route53, region: eu-west-1,"
                    + " accessKeyId: AKIA, secretAccessKey: {env: AWS_SECRET}}\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("components.certManager.dns01.secretAccessKey")
                    .contains("Kubernetes Secrets"));
  }

  @Test
  void theSolverImageIsPinnedWithTheControllerAndTheControllerIsHardened() {
    Deployment d = production().one(Deployment.class, "cert-manager");
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Container c =
        Rendered.container(d.getSpec().getTemplate().getSpec().getContainers(), "controller");
    assertThat(c.getArgs())
        .contains(
            "--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.1",
            "--cluster-resource-namespace=$(POD_NAMESPACE)",
            "--leader-election-namespace=$(POD_NAMESPACE)");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
        .isEqualTo(65532L);
  }

  private static List<String> problems(String overlay) {
    return SpecLoader.load(
            List.of(
                new Source(SpecLoader.DEFAULT_NAME, SpecLoader.defaultText()),
                new Source("overlay.yaml", overlay)))
        .problems()
        .stream()
        .map(Problem::toString)
        .toList();
  }
}
