package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered output of each station, compared file by file with the golden copy under
 * src/test/resources/golden/. A change to rendering shows up here as a reviewable diff;
 * `scripts/update-golden` rewrites the copies on purpose, never a test.
 */
class GoldenRenderTest {
  static Path goldenDir(String station) {
    return Repo.resolve("vigil-cli/src/test/resources/golden/" + station);
  }

  static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(
            dir.relativize(p).toString().replace('\\', '/'),
            Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "homelab", "production"})
  void renderMatchesGolden(String station) throws IOException {
    Map<String, String> rendered = Stations.render(station).files();
    Map<String, String> golden = read(goldenDir(station));
    assertThat(rendered.keySet())
        .as(
            "files rendered for %s vs golden (run scripts/update-golden after an intended change)",
            station)
        .containsExactlyElementsOf(golden.keySet());
    for (Map.Entry<String, String> e : rendered.entrySet()) {
      assertThat(e.getValue())
          .as(
              "%s/%s differs from golden (run scripts/update-golden after an intended change)",
              station, e.getKey())
          .isEqualTo(golden.get(e.getKey()));
    }
  }
}
