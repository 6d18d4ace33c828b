package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rendered dashboards equal the reviewed golden files byte for byte, which also proves the
 * output does not depend on the JVM run (hash seeds, map order, line separators). Each golden file
 * sits beside its definition's test resources. After an intended change, regenerate them with
 * {@link DashboardGoldens} and review the diff.
 */
class DashboardGoldenTest {
  private static final String HINT =
      " differs from its golden file; if the change is intended, regenerate with"
          + " DashboardGoldens (see its javadoc) and review the diff";

  @Test
  void everyDashboardMatchesItsGoldenFile() throws IOException {
    Map<String, String> where = DashboardGoldens.resources();
    for (Dashboard d : QueryCorpus.all()) {
      String resource = "/" + where.get(d.uid());
      try (InputStream in = getClass().getResourceAsStream(resource)) {
        assertThat(in)
            .as("golden file " + resource + " is missing; run DashboardGoldens")
            .isNotNull();
        String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(d.toJson()).as(d.uid() + HINT).isEqualTo(expected);
      }
    }
  }

  @Test
  void noGoldenFileIsLeftOverFromARemovedDashboard() {
    assertThat(DashboardGoldens.existing(Path.of("target", "test-classes")))
        .containsExactlyInAnyOrderElementsOf(
            QueryCorpus.all().stream()
                .map(d -> DashboardGoldens.resources().get(d.uid()))
                .toList());
  }
}
