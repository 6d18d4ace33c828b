package dev.vigil.render.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.TestStations;
import dev.vigil.render.kubernetes.ExpectedTargets.Expected;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedTargetsTest {
  private static String resource(Class<?> owner, String name) throws IOException {
    try (InputStream in = owner.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The shipped file and its tests are the homelab example's; run ExpectedTargetsTests.main after a
   * change.
   */
  @Test
  void theShippedRuleFileAndTestsAreTheHomelabExamplesRendering() throws IOException {
    assertThat(resource(KubernetesRenderer.class, ExpectedTargets.FILE))
        .isEqualTo(ExpectedTargetsTests.rules(ExpectedTargetsTests.golden()));
    assertThat(resource(ExpectedTargetsTest.class, "expected-targets.rules.test.yaml"))
        .isEqualTo(ExpectedTargetsTests.tests(ExpectedTargetsTests.golden()));
  }

  @Test
  void everyNodeOfTheSpecIsExpectedWhereItsComponentsRun() {
    List<Expected> homelab = ExpectedTargetsTests.expected(ExpectedTargetsTests.golden());
    assertThat(homelab)
        .extracting(Expected::alert)
        .containsExactly(
            "NodeExporterMissing",
            "NodeAgentMissing",
            "ChronyExporterMissing",
            "IpmiExporterMissing");
    assertThat(homelab.get(0).nodes()).containsExactly("masternode", "storagenodet3500", "homelab");
    assertThat(homelab.get(3).nodes()).containsExactly("homelab");
    assertThat(ExpectedTargets.federations(ExpectedTargetsTests.golden()))
        .containsExactly(new ExpectedTargets.Federation("rke2-federation", "rke2"));

    Station production =
        SpecLoader.load(Repo.resolve("examples/production/vigil.yaml"), List.of()).orThrow();
    assertThat(ExpectedTargetsTests.expected(production))
        .extracting(Expected::alert)
        .doesNotContain("IpmiExporterMissing");
    assertThat(ExpectedTargets.federations(production)).isEmpty();

    Station noTime = TestStations.with("time:\n  enabled: false\n");
    assertThat(ExpectedTargetsTests.expected(noTime))
        .extracting(Expected::alert)
        .doesNotContain("ChronyExporterMissing", "NodeAgentMissing");
  }

  @Test
  void aStationWithoutNodesExpectsNothingAndShipsNoFile() {
    Station empty =
        TestStations.of("apiVersion: vigil.dev/v1\nkind: Station\ncluster:\n  name: bare\n");
    assertThat(ExpectedTargetsTests.rules(empty)).isNull();
    assertThat(new KubernetesRenderer().ruleFiles(TestStations.context(empty)))
        .doesNotContainKey(ExpectedTargets.FILE);
  }
}
