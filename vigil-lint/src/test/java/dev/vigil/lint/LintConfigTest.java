package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintConfigTest {
  @TempDir Path dir;

  private LintConfig load(String yaml) throws Exception {
    Path f = Files.writeString(dir.resolve("lint.yaml"), yaml);
    return LintConfig.load(f, LintConfig.defaults(), Linter.ruleIds());
  }

  @Test
  void kubernetesVersionIsAQuotedMinorRelease() throws Exception {
    assertThat(LintConfig.defaults().kubernetesMinor()).isEqualTo(Integer.MAX_VALUE);
    assertThat(load("kubernetesVersion: \"1.30\"\n").kubernetesMinor()).isEqualTo(30);
    assertThat(load("kubernetesVersion: v1.24.3\n").kubernetesMinor()).isEqualTo(24);
    assertThatThrownBy(() -> load("kubernetesVersion: 1.30\n"))
        .hasMessageContaining("expected a quoted version such as '1.30', found the number 1.3");
    assertThatThrownBy(() -> load("kubernetesVersion: latest\n"))
        .hasMessageContaining("unknown Kubernetes version 'latest'");
  }

  @Test
  void theTargetReleaseDecidesRemovedOrDeprecated() {
    String pdb =
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"
            + "spec: {maxUnavailable: 1, selector: {matchLabels: {a: b}}}\n";
    assertThat(rules(pdb, "1.20")).doesNotContain("removed-api", "deprecated-api");
    assertThat(rules(pdb, "1.21")).contains("deprecated-api").doesNotContain("removed-api");
    assertThat(rules(pdb, "1.25")).contains("removed-api").doesNotContain("deprecated-api");
    assertThat(rules(pdb, null)).contains("removed-api");
  }

  private static java.util.List<String> rules(String text, String version) {
    return new Linter(LintConfig.defaults().withKubernetesVersion(version))
        .lintText("p.yaml", text).findings().stream().map(Finding::ruleId).toList();
  }

  @Test
  void statefulImagesComeFromTheCallerOrTheConfigFile() throws Exception {
    String grafana =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: g}\n"
            + "spec: {template: {spec: {containers: [{name: g, image: \"grafana/grafana:12.1.1\"}]}}}\n";
    assertThat(LintConfig.defaults().statefulImages()).isEmpty();
    assertThat(stateful(LintConfig.defaults(), grafana)).isFalse();
    LintConfig fromFile = load("statefulImages: [grafana, loki]\n");
    assertThat(fromFile.statefulImages()).containsExactly("grafana", "loki");
    assertThat(stateful(fromFile, grafana)).isTrue();
    assertThat(
            stateful(LintConfig.defaults().withStatefulImages(java.util.List.of("loki")), grafana))
        .isFalse();
    assertThatThrownBy(() -> load("statefulImages: grafana\n"))
        .hasMessageContaining("statefulImages: expected a list of strings");
  }

  private static boolean stateful(LintConfig config, String text) {
    return new Linter(config)
        .lintText("d.yaml", text).findings().stream()
            .anyMatch(f -> f.ruleId().equals("stateful-monitoring"));
  }

  @Test
  void hostileConfigFilesAreRefusedWithALocation() throws Exception {
    assertThatThrownBy(() -> load("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n"))
        .hasMessageContaining("lint.yaml:1:")
        .hasMessageContaining("nested more than 64");
    Path fifo = dir.resolve("fifo.yaml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> LintConfig.load(fifo, LintConfig.defaults(), Linter.ruleIds()))
        .hasMessageContaining("not a regular file");
  }
}
