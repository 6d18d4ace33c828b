package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Tools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kustomize directories are rendered by the real kubectl before linting. */
class KustomizeIT {
  @TempDir Path dir;

  @Test
  void kustomizationIsRenderedAndLinted() throws Exception {
    Path kubectl = Tools.require("kubectl", "kubectl");
    Path base = Files.createDirectories(dir.resolve("app/base"));
    // commonLabels rather than labels: Debian's kubernetes-client bundles an older kustomize.
    Files.writeString(
        base.resolve("kustomization.yaml"),
        "resources: [pod.yaml]\nnamespace: monitoring\ncommonLabels: {app.kubernetes.io/name: demo}\n");
    Files.writeString(
        base.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: demo}\n"
            + "spec: {hostPID: true, containers: [{name: c, image: \"busybox:1.36\"}]}\n");
    // A patch file beside the kustomization is not a full object: it must not be linted alone.
    Files.writeString(base.resolve("patch.yaml"), "spec: {hostPID: false}\n");
    Files.writeString(
        dir.resolve("plain.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");

    Loader.Loaded loaded =
        new Loader(InputStream.nullInputStream(), Optional.of(kubectl))
            .load(List.of(dir.toString()));
    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.manifests())
        .extracting(Manifest::ref)
        .containsExactly("Pod monitoring/demo", "Service s");
    assertThat(loaded.manifests().get(0).source()).endsWith("base (kustomize)");
    assertThat(loaded.manifests().get(0).labels()).containsEntry("app.kubernetes.io/name", "demo");

    Report r = new Linter(LintConfig.defaults().withProfile(LintProfile.BASELINE)).lint(loaded);
    assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("pss-host-namespaces");

    Files.writeString(base.resolve("kustomization.yaml"), "resources: [missing.yaml]\n");
    Loader.Loaded broken =
        new Loader(InputStream.nullInputStream(), Optional.of(kubectl))
            .load(List.of(base.toString()));
    assertThat(broken.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("kubectl kustomize failed"));
  }
}
