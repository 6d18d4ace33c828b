package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyTimeCommandTest {
  @Test
  void withoutSourcesItSaysWhatIsMissingAndExitsTwo() {
    Cli r = Cli.run("time");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("nothing to check").contains("--server");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badServerIsALocatedUsageError() {
    Cli r = Cli.run("time", "--server", "127.0.0.1:99999");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--server 127.0.0.1:99999").contains("invalid port '99999'");
  }

  @Test
  void badDurationIsAUsageError() {
    Cli r = Cli.run("time", "--server", "127.0.0.1:1", "--offset-warning", "100");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--offset-warning").contains("a unit is required");
  }

  @Test
  void inconsistentThresholdsAreRejected() {
    Cli r =
        Cli.run(
            "time", "--server", "127.0.0.1:1", "--offset-warning", "2s", "--offset-critical", "1s");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("offsetCritical must be larger than offsetWarning");
  }

  @Test
  void badPrometheusUrlIsAUsageError() {
    Cli r = Cli.run("time", "--prometheus", "localhost:9090");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("expected http(s)://");
  }

  @Test
  void missingSpecFileIsReported() {
    Cli r = Cli.run("time", "-f", "/nonexistent/vigil.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("/nonexistent/vigil.yaml: no such file");
  }

  @Test
  void specThresholdsAreValidatedWithTheirLocation(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path spec = dir.resolve("vigil.yaml");
    java.nio.file.Files.writeString(
        spec,
        String.join(
            "\n",
            "apiVersion: vigil.dev/v1",
            "kind: Station",
            "cluster:",
            "  name: test",
            "time:",
            "  thresholds:",
            "    offsetWarning: 2s",
            "    offsetCritical: 1s",
            "  probe:",
            "    interval: 5s",
            ""));
    Cli r = Cli.run("time", "-f", spec.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("offsetCritical")
        .contains("must be larger than offsetWarning")
        .contains("interval")
        .contains("at least 16s");
  }

  @Test
  void verifyAloneChecksTheStackAndSaysWhenItCannotReachACluster() {
    Cli r = Cli.run("--kubeconfig", "/nonexistent/kubeconfig");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("vigil verify: cannot read the kubeconfig /nonexistent/kubeconfig");
  }

  @Test
  void overallVerdictRules() {
    Check pass = new Check("a", "x", Verdict.PASS, "", "", "");
    Check warn = new Check("a", "x", Verdict.WARN, "", "", "");
    Check unknown = new Check("a", "x", Verdict.UNKNOWN, "", "", "");
    Check fail = new Check("a", "x", Verdict.FAIL, "", "", "");
    assertThat(Check.overall(List.of(pass, unknown))).isEqualTo(Verdict.PASS);
    assertThat(Check.overall(List.of(pass, warn))).isEqualTo(Verdict.WARN);
    assertThat(Check.overall(List.of(unknown))).isEqualTo(Verdict.UNKNOWN);
    assertThat(Check.overall(List.of())).isEqualTo(Verdict.UNKNOWN);
    assertThat(Check.overall(List.of(pass, unknown, fail))).isEqualTo(Verdict.FAIL);
    assertThat(Verdict.WARN.exitCode()).isZero();
  }
}
