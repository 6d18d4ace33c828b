package dev.vigil.spec.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Addresses in the power section are IP literals, checked at load with a located problem: a typo
 * must not pass `vigil agent --dry-run` and then become a DNS lookup when the agent starts.
 */
class PowerAddressesTest {
  private static final String STATION =
      """
      apiVersion: vigil.dev/v1
      kind: Station
      cluster:
        name: lab
      nodes:
        - name: masternode
          address: 10.0.0.1
          role: control-plane
        - name: storage
          address: 10.0.0.2
          mac: b8:ac:6f:7e:6c:9d
      power:
        enabled: true
        controller: masternode
      %s
        nodes:
          masternode: {sleepable: false}
          storage:
            idle: {checks: [{kind: users}]}
      %s
      """;

  private static List<String> problems(String api, String storage) {
    Bound<Station> b =
        SpecLoader.load(List.of(new Source("vigil.yaml", STATION.formatted(api, storage))));
    return b.problems().stream().map(Problem::toString).toList();
  }

  private static final String EXPECTED =
      "expected an IP address literal such as 192.168.4.61 or fd00::61 (host names are not"
          + " resolved), got '%s'";

  @Test
  void anApiAddressThatIsNoLiteralIsALocatedLoadError() {
    assertThat(problems("  api: {address: 999.1.1.1}", ""))
        .containsExactly("vigil.yaml:15:18: power.api.address: " + EXPECTED.formatted("999.1.1.1"));
    // A host name is refused as well: resolving it would be a lookup at start.
    assertThat(problems("  api: {address: localhost}", ""))
        .containsExactly("vigil.yaml:15:18: power.api.address: " + EXPECTED.formatted("localhost"));
  }

  @Test
  void nodeAndHoldAddressesAreCheckedAndGoodOnesPass() {
    assertThat(
            problems(
                "  api: {address: '::', port: 70000}",
                "      address: nas.invalid\n      triggers: {holdAddress: 10.0.0.300}"))
        .containsExactly(
            "vigil.yaml:15:30: power.api.port: expected a port 0-65535, got 70000",
            "vigil.yaml:20:16: power.nodes.storage.address: " + EXPECTED.formatted("nas.invalid"),
            "vigil.yaml:21:31: power.nodes.storage.triggers.holdAddress: "
                + EXPECTED.formatted("10.0.0.300"));
    assertThat(
            problems(
                "  api: {address: 0.0.0.0}",
                "      address: fd00::2\n      triggers: {holdAddress: '::'}"))
        .isEmpty();
  }
}
