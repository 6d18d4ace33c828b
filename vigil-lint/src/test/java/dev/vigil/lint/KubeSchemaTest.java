package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class KubeSchemaTest {
  @Test
  void theShippedSchemaIsWhatTheModelOnTheClasspathGives() throws Exception {
    String shipped;
    try (var in = new GZIPInputStream(KubeSchema.class.getResourceAsStream(KubeSchema.RESOURCE))) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(shipped)
        .as(
            "regenerate with KubeSchemaExtract vigil-lint/src/main/resources/dev/vigil/lint/"
                + KubeSchema.RESOURCE)
        .isEqualTo(KubeSchemaExtract.text());
  }

  @Test
  void knowsTheFieldsOfBuiltInKindsAndNothingOfCustomOnes() {
    KubeSchema s = KubeSchema.builtIn();
    KubeSchema.Type deployment = s.root("apps/v1", "Deployment");
    assertThat(deployment.fields())
        .containsKeys("apiVersion", "kind", "metadata", "spec", "status");
    KubeSchema.Type spec = s.type(deployment.fields().get("spec").type());
    KubeSchema.Type template = s.type(spec.fields().get("template").type());
    KubeSchema.Type podSpec = s.type(template.fields().get("spec").type());
    KubeSchema.Spec containers = podSpec.fields().get("containers");
    assertThat(containers.shape()).isEqualTo('l');
    KubeSchema.Type container = s.type(containers.element().type());
    assertThat(container.name()).isEqualTo("Container");
    assertThat(container.fields())
        .containsKeys("securityContext", "resources", "image")
        .doesNotContainKeys("runAsUser", "requests");
    assertThat(s.root("policy/v1beta1", "PodDisruptionBudget")).isNotNull();
    assertThat(s.root("monitoring.coreos.com/v1", "ServiceMonitor")).isNull();
    assertThat(s.roots()).isGreaterThan(100);
  }

  @Test
  void aFileIsReadAgainToLocateTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path f =
        java.nio.file.Files.writeString(
            dir.resolve("s.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: a}\n  ports:\n  - port: 80\n"
                + "    protocol: TCP\n    targetport: 8080\n");
    Report r = new Linter(LintConfig.defaults()).lint(java.util.List.of(f));
    assertThat(r.findings())
        .filteredOn(x -> x.ruleId().equals("unknown-field"))
        .singleElement()
        .satisfies(x -> assertThat(x.line()).isEqualTo(10));
  }

  @Test
  void anUnknownFieldIsReportedAtItsOwnLineWithWhereItBelongs() {
    String text =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n"
            + "      containers:\n      - name: c\n        image: busybox:1.36\n        # a comment\n\n"
            + "        runAsUser: 1000\n        requests: {cpu: 1}\n      dnsPolicy: Default\n";
    Report r = new Linter(LintConfig.defaults()).lintText("d.yaml", text);
    assertThat(r.findings())
        .filteredOn(f -> f.ruleId().equals("unknown-field"))
        .extracting(f -> f.line() + " " + f.message())
        .containsExactlyInAnyOrder(
            "12 spec.template.spec.containers[0].runAsUser: a Container has no field runAsUser (it belongs under securityContext.runAsUser)",
            "13 spec.template.spec.containers[0].requests: a Container has no field requests (it belongs under resources.requests)");
  }
}
