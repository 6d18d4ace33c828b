package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vigil's own output meets Vigil's standards: every rendered station lints clean under the
 * strictest profile, its exemptions annotated with their reasons on the objects themselves.
 */
class LintDogfoodIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"default,homelab", "homelab,homelab", "production,production"})
  void renderedStationLintsClean(String station, String stationProfile) {
    Path out = tmp.resolve(station);
    Path spec = Stations.specFile(station);
    CliTest.Result render =
        spec == null
            ? CliTest.run("render", "--out", out.toString())
            : CliTest.run("render", "-f", spec.toString(), "--out", out.toString());
    assertThat(render.code()).as(render.err()).isZero();
    CliTest.Result lint =
        CliTest.run(
            "lint",
            "--profile",
            "vigil",
            "--station-profile",
            stationProfile,
            "--fail-on",
            "info",
            out.toString());
    assertThat(lint.code()).as(lint.out() + lint.err()).isZero();
    assertThat(lint.out()).contains("0 errors, 0 warnings");
  }
}
