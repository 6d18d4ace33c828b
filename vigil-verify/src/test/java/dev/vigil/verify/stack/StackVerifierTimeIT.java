package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack verifier measures every node's clock as {@code vigil verify time} does, here against a
 * real chronyd on loopback standing in for a node's time probe; what it cannot reach (no cluster,
 * no URL) is UNKNOWN with the reason, never a pass.
 */
class StackVerifierTimeIT {
  @Test
  void everyNodesClockIsMeasuredAndUnreachableComponentsAreUnknown(@TempDir Path dir)
      throws Exception {
    Tools.require("chronyd", "chrony");
    try (ChronydServer node = ChronydServer.startLocal(3)) {
      Expectations ex =
          new Expectations(
              Stations.fromYaml(
                  dir,
                  String.join(
                      "\n",
                      "apiVersion: vigil.dev/v1",
                      "kind: Station",
                      "cluster: {name: lab}",
                      "nodes: [{name: node-1, address: 127.0.0.1}]",
                      "time: {probe: {peerPort: " + node.ntpPort() + "}}",
                      "syslog: {enabled: false}",
                      "")));
      StackVerifier.Options o =
          new StackVerifier.Options(
              Duration.ofSeconds(2),
              Duration.ofMinutes(15),
              Duration.ofSeconds(5),
              Map.of(),
              true,
              2);
      List<Check> checks;
      try (Reach reach = new Reach(Map.of(), null, "--no-kube")) {
        checks =
            StackVerifier.verify(
                ex,
                reach,
                null,
                "--no-kube",
                o,
                Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()));
      }
      String node1 = "node-1 (127.0.0.1:" + node.ntpPort() + ")";
      assertThat(checks)
          .filteredOn(c -> c.target().equals(node1))
          .extracting(Check::check)
          .contains("reply", "leap", "stratum", "offset");
      assertThat(checks)
          .filteredOn(c -> c.target().equals(node1))
          .extracting(Check::verdict)
          .containsOnly(Verdict.PASS);
      Check stratum =
          checks.stream()
              .filter(c -> c.target().equals(node1) && c.check().equals("stratum"))
              .findFirst()
              .orElseThrow();
      assertThat(stratum.measured())
          .as("chronyd serving its own clock at local stratum 3")
          .isEqualTo("3");
      Check prom =
          checks.stream().filter(c -> c.target().equals("prometheus")).findFirst().orElseThrow();
      assertThat(prom.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(prom.detail())
          .isEqualTo("no --url prometheus=URL and no cluster to port-forward through (--no-kube)");
      assertThat(checks.get(0).check()).isEqualTo("workloads");
      assertThat(checks.get(0).verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(Check.overall(checks)).isEqualTo(Verdict.PASS);
    }
  }
}
