package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  @TempDir Path dir;

  private static final String POD =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec: {containers: [{name: c, image: \"busybox:1.36\"}]}\n";

  private Loader.Loaded load(String... inputs) {
    return new Loader(InputStream.nullInputStream(), Optional.empty()).load(List.of(inputs));
  }

  @Test
  void yamlErrorIsLocatedAndOtherFilesAreStillRead() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), POD.formatted("a"));
    Files.writeString(
        dir.resolve("b.yaml"), POD.formatted("b1") + "---\nmetadata:\n  name: [oops\n  other: 1\n");
    Files.writeString(dir.resolve("c.yml"), POD.formatted("c"));
    Loader.Loaded l = load(dir.toString());
    assertThat(l.manifests()).extracting(Manifest::name).containsExactly("a", "b1", "c");
    assertThat(l.errors()).hasSize(1);
    InputError e = l.errors().get(0);
    assertThat(e.source()).endsWith("b.yaml");
    assertThat(e.line()).isBetween(7, 9);
    assertThat(e.message()).startsWith("invalid YAML");
  }

  @Test
  void duplicateKeysAreAnError() throws IOException {
    Files.writeString(dir.resolve("d.yaml"), "apiVersion: v1\nkind: Pod\nkind: Service\n");
    Loader.Loaded l = load(dir.resolve("d.yaml").toString());
    assertThat(l.errors()).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(3));
  }

  @Test
  void directoriesAreWalkedRecursivelySkippingHiddenAndForeignFiles() throws IOException {
    Files.createDirectories(dir.resolve("x/y"));
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("x/y/deep.yaml"), POD.formatted("deep"));
    Files.writeString(dir.resolve(".git/config.yaml"), POD.formatted("hidden"));
    Files.writeString(dir.resolve("x/README.md"), "kind: Pod\n");
    Loader.Loaded l = load(dir.toString());
    assertThat(l.manifests()).extracting(Manifest::name).containsExactly("deep");
  }

  @Test
  void jsonAndKindListAreUnpacked() throws IOException {
    Files.writeString(
        dir.resolve("list.json"),
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n"
            + "    {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"j1\"}},\n"
            + "    {\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"j2\"}}\n  ]\n}\n");
    Loader.Loaded l = load(dir.resolve("list.json").toString());
    assertThat(l.errors()).isEmpty();
    assertThat(l.manifests()).extracting(Manifest::ref).containsExactly("Pod j1", "Service j2");
    assertThat(l.manifests()).extracting(Manifest::line).containsExactly(5, 6);
  }

  @Test
  void stdinIsReadForDash() {
    Loader loader =
        new Loader(
            new ByteArrayInputStream(POD.formatted("stdin").getBytes(StandardCharsets.UTF_8)),
            Optional.empty());
    Loader.Loaded l = loader.load(List.of("-"));
    assertThat(l.manifests())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.name()).isEqualTo("stdin");
              assertThat(m.source()).isEqualTo("-");
            });
  }

  @Test
  void missingPathAndMissingKubectlAreClearErrors() throws IOException {
    Files.createDirectories(dir.resolve("k"));
    Files.writeString(dir.resolve("k/kustomization.yaml"), "resources: [pod.yaml]\n");
    Files.writeString(dir.resolve("k/pod.yaml"), POD.formatted("k"));
    Loader.Loaded l = load(dir.resolve("nope.yaml").toString(), dir.resolve("k").toString());
    assertThat(l.errors())
        .extracting(InputError::message)
        .anySatisfy(m -> assertThat(m).isEqualTo("no such file or directory"))
        .anySatisfy(
            m -> assertThat(m).contains("kubectl is not on PATH").contains("| vigil lint -"));
    assertThat(l.manifests()).isEmpty();
  }

  @Test
  void findingsPointAtTheOffendingContainerLine() {
    String text =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            + "  - name: ok\n    image: busybox:1.36\n    securityContext: {privileged: false}\n"
            + "  - name: bad\n    image: busybox:1.36\n    securityContext: {privileged: true}\n";
    Report r = new Linter(LintConfig.defaults()).lintText("p.yaml", text);
    assertThat(r.findings())
        .filteredOn(f -> f.ruleId().equals("pss-privileged"))
        .singleElement()
        .satisfies(f -> assertThat(f.line()).isEqualTo(9));
  }

  @Test
  void plainMonitoringConfigFilesAreRecognised() throws IOException {
    Files.writeString(
        dir.resolve("prometheus.yml"), "global: {scrape_interval: 5s}\nscrape_configs: []\n");
    Files.writeString(
        dir.resolve("grafana.ini"), "[auth.anonymous]\nenabled = true\norg_role = Admin\n");
    Files.writeString(
        dir.resolve("config.alloy"), "prometheus.scrape \"x\" {\n  scrape_interval = \"1s\"\n}\n");
    Files.writeString(dir.resolve("values.yaml"), "replicas: 3\n");
    Loader.Loaded l = load(dir.toString());
    assertThat(l.configs())
        .extracting(ConfigDoc::type)
        .containsExactlyInAnyOrder(
            ConfigDoc.Type.PROMETHEUS, ConfigDoc.Type.GRAFANA_INI, ConfigDoc.Type.ALLOY);
    Report r = new Linter(LintConfig.defaults()).lint(l);
    assertThat(r.findings())
        .extracting(Finding::ruleId)
        .containsExactlyInAnyOrder("scrape-interval", "scrape-interval", "grafana-anonymous-admin");
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.object()).isNull());
  }
}
