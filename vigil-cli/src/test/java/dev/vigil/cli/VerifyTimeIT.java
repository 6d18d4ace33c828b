package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import dev.vigil.testing.ntp.LyingNtpServer.Behaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify time --server} against real chronyd and the lying server, on loopback. */
class VerifyTimeIT {
  private static ChronydServer chronyd;

  @BeforeAll
  static void start() throws Exception {
    chronyd = ChronydServer.startLocal(8);
  }

  @AfterAll
  static void stop() {
    if (chronyd != null) {
      chronyd.close();
    }
  }

  @Test
  void healthyChronydPasses() {
    Cli r = Cli.run("time", "--server", chronyd.hostPort());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("TARGET")
        .contains(chronyd.hostPort())
        .containsPattern("offset\\s+PASS\\s+[+-]\\d+\\.\\d{3} ms")
        .containsPattern("stratum\\s+PASS\\s+8\\s+<= 10")
        .contains("Result: PASS (exit 0)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void serverTwoAndAHalfSecondsOffFails() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(2.5)) {
      Cli r = Cli.run("time", "--server", liar.hostPort());
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out())
          .containsPattern("offset\\s+FAIL\\s+\\+2\\.50\\d s\\s+warn 100ms, fail 1s")
          .contains("Result: FAIL");
    }
  }

  @Test
  void offsetBetweenThresholdsWarnsButPasses() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(0.3)) {
      Cli r = Cli.run("time", "--server", liar.hostPort(), "--samples", "2");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out())
          .containsPattern("offset\\s+WARN\\s+\\+(29\\d|30\\d)\\.\\d{3} ms")
          .contains("Result: WARN (exit 0)");
    }
  }

  @Test
  void thresholdFlagsOverrideTheDefaults() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(2.5)) {
      Cli r =
          Cli.run(
              "time",
              "--server",
              liar.hostPort(),
              "--offset-warning",
              "3s",
              "--offset-critical",
              "5s",
              "--samples",
              "1");
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).containsPattern("offset\\s+PASS");
    }
  }

  @Test
  void kissOfDeathAndUnsynchronisedServersFailAndAreNotTrusted() throws Exception {
    try (LyingNtpServer deny = LyingNtpServer.start(Behaviour.KOD_DENY);
        LyingNtpServer unsync = LyingNtpServer.start(Behaviour.LEAP_UNSYNCHRONISED)) {
      Cli r =
          Cli.run(
              "time",
              "--server",
              deny.hostPort(),
              "--server",
              unsync.hostPort(),
              "--server",
              chronyd.hostPort());
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out())
          .containsPattern(deny.hostPort() + "\\s+reply\\s+FAIL\\s+kod_deny")
          .contains("Kiss-o'-Death DENY; refused, not trusted")
          .containsPattern(unsync.hostPort() + "\\s+leap\\s+FAIL\\s+unsynchronised")
          .containsPattern("all servers\\s+sources\\s+PASS\\s+1 trusted of 3");
    }
  }

  @Test
  void nothingAnsweringMeansCouldNotCheck() throws Exception {
    try (LyingNtpServer silent = LyingNtpServer.start(Behaviour.SILENT)) {
      Cli r =
          Cli.run("time", "--server", silent.hostPort(), "--samples", "1", "--timeout", "300ms");
      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.out())
          .containsPattern("reachable\\s+UNKNOWN")
          .contains("Result: UNKNOWN (exit 2)");
    }
  }

  @Test
  void oneSilentServerAmongAnsweringOnesFails() throws Exception {
    try (LyingNtpServer silent = LyingNtpServer.start(Behaviour.SILENT)) {
      Cli r =
          Cli.run(
              "time",
              "--server",
              silent.hostPort(),
              "--server",
              chronyd.hostPort(),
              "--samples",
              "1",
              "--timeout",
              "300ms");
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).containsPattern(silent.hostPort() + "\\s+reachable\\s+FAIL");
    }
  }

  @Test
  void jsonOutput() throws Exception {
    Cli r = Cli.run("time", "--server", chronyd.hostPort(), "-o", "json", "--samples", "2");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.path("result").asText()).isEqualTo("pass");
    assertThat(root.path("exitCode").asInt()).isZero();
    assertThat(root.path("checks"))
        .anySatisfy(
            c -> {
              assertThat(c.path("check").asText()).isEqualTo("offset");
              assertThat(c.path("result").asText()).isEqualTo("pass");
              assertThat(c.path("target").asText()).isEqualTo(chronyd.hostPort());
              assertThat(Math.abs(c.path("value").asDouble(99))).isLessThan(0.005);
            });
  }

  @Test
  void specNodesAreMeasuredWithTheSpecsThresholds(@TempDir Path dir) throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(0.3)) {
      Path spec = dir.resolve("vigil.yaml");
      Files.writeString(
          spec,
          String.join(
              "\n",
              "apiVersion: vigil.dev/v1",
              "kind: Station",
              "cluster:",
              "  name: test",
              "nodes:",
              "  - name: masternode",
              "    address: 127.0.0.1",
              "    role: control-plane",
              "time:",
              "  thresholds:",
              "    offsetWarning: 50ms",
              "    offsetCritical: 200ms",
              "  probe:",
              "    peerPort: " + liar.getPort(),
              ""));
      Cli r = Cli.run("time", "-f", spec.toString(), "--samples", "2");
      assertThat(r.exit()).as(r.toString()).isEqualTo(1);
      assertThat(r.out())
          .containsPattern(
              "masternode \\(127\\.0\\.0\\.1:"
                  + liar.getPort()
                  + "\\)\\s+offset\\s+FAIL\\s+\\+(29\\d|30\\d)\\.\\d{3} ms\\s+warn 50ms, fail"
                  + " 200ms");
    }
  }

  @Test
  void specErrorsAreLocated(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("vigil.yaml");
    Files.writeString(
        spec,
        "apiVersion: vigil.dev/v1\n"
            + "kind: Station\n"
            + "cluster:\n"
            + "  name: test\n"
            + "time:\n"
            + "  thresholds:\n"
            + "    offsetWarning: fast\n");
    Cli r = Cli.run("time", "-f", spec.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("vigil.yaml:7").contains("offsetWarning");
  }
}
