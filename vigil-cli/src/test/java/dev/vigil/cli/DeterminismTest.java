package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeterminismTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"default", "homelab", "production"})
  void sameSpecGivesByteIdenticalOutput(String station) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Stations.render(station).write(a);
    Stations.render(station).write(b);
    var filesA = GoldenRenderTest.read(a);
    var filesB = GoldenRenderTest.read(b);
    assertThat(filesA).isNotEmpty().isEqualTo(filesB);
    // A second render into the same directory replaces the first exactly.
    Stations.render(station).write(a);
    assertThat(GoldenRenderTest.read(a)).isEqualTo(filesB);
    assertThat(Files.readString(a.resolve("kustomization.yaml"))).contains("Rendered by vigil");
  }
}
