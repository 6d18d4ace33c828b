package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rendered dashboards equal the reviewed golden files byte for byte, which also proves the
 * output does not depend on the JVM run (hash seeds, map order, line separators). After an intended
 * change, regenerate them with {@link DashboardGoldens} and review the diff.
 */
class DashboardGoldenTest {
  private static final String HINT =
      " differs from its golden file; if the change is intended, regenerate with"
          + " DashboardGoldens (see its javadoc) and review the diff";

  @Test
  void everyDashboardMatchesItsGoldenFile() throws IOException {
    for (Dashboard d : QueryCorpus.all()) {
      String resource = "/" + DashboardGoldens.RESOURCE_DIR + "/" + d.fileName();
      try (InputStream in = getClass().getResourceAsStream(resource)) {
        assertThat(in)
            .as("golden file " + resource + " is missing; run DashboardGoldens")
            .isNotNull();
        String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(d.toJson()).as(d.fileName() + HINT).isEqualTo(expected);
      }
    }
  }

  @Test
  void noGoldenFileIsLeftOverFromARemovedDashboard() throws IOException, URISyntaxException {
    URL url = getClass().getResource("/" + DashboardGoldens.RESOURCE_DIR);
    assertThat(url).isNotNull();
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files)
        .containsExactlyElementsOf(QueryCorpus.all().stream().map(Dashboard::fileName).toList());
  }
}
