package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A hardened station slice lints clean; exemptions need reasons and name the real rule ids. */
class StationTest {
  private static String resource(String path) throws IOException {
    try (InputStream in = StationTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void hardenedStationIsCleanUnderVigil() throws IOException {
    Report r =
        new Linter(LintConfig.defaults()).lintText("station.yaml", resource("/stack/station.yaml"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.findings()).isEmpty();
    assertThat(r.suppressed())
        .isEqualTo(4); // hostNetwork, hostPID, hostPath (baseline), hostPath (restricted)
    assertThat(r.configs()).isEqualTo(2);
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void productionStationFlagsTheNodePortToPrometheus() throws IOException {
    Report r =
        new Linter(LintConfig.defaults().withStationProfile(StationProfile.PRODUCTION))
            .lintText("station.yaml", resource("/stack/station.yaml"));
    // Any NodePort is a warning in production; one in front of Prometheus, which has no login, an
    // error.
    assertThat(r.findings())
        .extracting(Finding::ruleId)
        .containsExactlyInAnyOrder("service-exposed", "api-exposed-without-auth");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void removingTheReasonRevivesTheFindings() throws IOException {
    String text =
        resource("/stack/station.yaml").replaceAll("(?m)^    vigil.dev/ignore-reason: .*\\n", "");
    Report r = new Linter(LintConfig.defaults()).lintText("station.yaml", text);
    assertThat(r.findings())
        .extracting(Finding::ruleId)
        .containsExactlyInAnyOrder(
            "exemption-reason",
            "pss-host-namespaces",
            "pss-host-namespaces",
            "pss-host-path",
            "pss-volume-types");
    assertThat(r.suppressed()).isZero();
  }

  @Test
  void chronyTripsExactlyItsHostAccessRules() throws IOException {
    Report r =
        new Linter(LintConfig.defaults()).lintText("chrony.yaml", resource("/stack/chrony.yaml"));
    assertThat(r.findings().stream().map(Finding::ruleId).distinct())
        .containsExactlyInAnyOrder(
            "pss-host-namespaces",
            "pss-host-ports",
            "pss-capabilities-baseline",
            "pss-capabilities-restricted",
            "pss-run-as-non-root");
    String exempted =
        resource("/stack/chrony.yaml")
            .replace(
                "  labels: {app.kubernetes.io/name: chrony}\nspec:\n  selector",
                "  labels: {app.kubernetes.io/name: chrony}\n  annotations:\n"
                    + "    vigil.dev/ignore: pss-host-namespaces,pss-host-ports,pss-capabilities-baseline,"
                    + "pss-capabilities-restricted,pss-run-as-non-root\n"
                    + "    vigil.dev/ignore-reason: chronyd steps the node clock (SYS_TIME) and serves NTP on the node's UDP 123\n"
                    + "spec:\n  selector");
    assertThat(exempted).contains("vigil.dev/ignore:");
    Report clean = new Linter(LintConfig.defaults()).lintText("chrony.yaml", exempted);
    assertThat(clean.findings()).isEmpty();
  }
}
