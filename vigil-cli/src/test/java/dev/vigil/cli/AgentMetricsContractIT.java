package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric families of {@code vigil agent} running every service (syslog, time, power in
 * dry-run), on loopback only, against the agent's image contract: exactly the contract's families
 * and its shared files', with the same types, and nothing else. Families are read from the
 * registry, so those without samples yet count too.
 */
class AgentMetricsContractIT {
  @TempDir static Path tmp;
  private static RunningAgent agent;

  private static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void startEveryService() throws Exception {
    int udp = ChronydServer.freeUdpPort();
    int tcp = freeTcpPort();
    int api = freeTcpPort();
    int closed = freeTcpPort();
    int ntp = ChronydServer.freeUdpPort();
    Path token = tmp.resolve("power-token");
    Files.writeString(token, "contract-test-token\n");
    Path spec = tmp.resolve("vigil.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: vigil.dev/v1
        kind: Station
        cluster: {name: contract-test}
        nodes:
          - {name: a, address: 127.0.0.1, role: control-plane}
          - {name: b, address: 127.0.0.2}
        syslog:
          listen: {address: 127.0.0.1, udpPort: %d, tcpPort: %d}
          loki: {url: "http://127.0.0.1:%d"}
        time:
          upstream: ["127.0.0.1:%d"]
          probe: {interval: 16s, samplesPerServer: 1, timeout: 1s, peers: false, chrony: false}
        power:
          enabled: true
          dryRun: true
          controller: a
          api: {address: 127.0.0.1, port: %d, token: {file: %s}}
          wake: {verifyPort: %d}
          nodes:
            a: {sleepable: false}
            b:
              mac: b8:ac:6f:7e:6c:9d
              idle: {checks: [{kind: users}]}
        """
            .formatted(udp, tcp, closed, ntp, api, token, closed));
    agent =
        new RunningAgent(
            "-f", spec.toString(),
            "--node", "a",
            "--data-dir", tmp.resolve("data").toString(),
            "--http-address", "127.0.0.1",
            "--http-port", "0");
    assertThat(agent.output()).contains("services:  syslog, time, power");
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  /** Family name as exposed (counters with _total, info with _info) → contract type. */
  private static Map<String, String> served() {
    Map<String, String> out = new TreeMap<>();
    for (MetricSnapshot s : agent.registry().scrape()) {
      String name = s.getMetadata().getPrometheusName();
      String type;
      if (s instanceof CounterSnapshot) {
        type = "counter";
        name = name + "_total";
      } else if (s instanceof InfoSnapshot) {
        type = "info";
        name = name + "_info";
      } else if (s instanceof GaugeSnapshot) {
        type = "gauge";
      } else if (s instanceof HistogramSnapshot h) {
        type = h.isGaugeHistogram() ? "gaugehistogram" : "histogram";
      } else if (s instanceof SummarySnapshot) {
        type = "summary";
      } else if (s instanceof StateSetSnapshot) {
        type = "stateset";
      } else {
        type = "untyped";
      }
      out.put(name, type);
    }
    return out;
  }

  @Test
  void servesExactlyTheContractsFamiliesWithTheirTypes() {
    Contracts contracts = Contracts.load();
    ImageContract contract = contracts.byName("vigil-agent").orElseThrow();
    Map<String, String> expected = new TreeMap<>();
    for (ImageContract.Metric m : contracts.metricsOf(contract)) {
      expected.put(m.name(), m.type());
    }
    Map<String, String> actual = served();
    Map<String, String> missing = new TreeMap<>(expected);
    missing.keySet().removeAll(actual.keySet());
    Map<String, String> unlisted = new TreeMap<>(actual);
    unlisted.keySet().removeAll(expected.keySet());
    assertThat(unlisted)
        .as("served but not in the contract (vigil-agent.yaml or its shared files)")
        .isEmpty();
    assertThat(missing).as("in the contract but not served").isEmpty();
    assertThat(actual).as("types").isEqualTo(expected);
  }

  @Test
  void promtoolFindsNothingToLintOnMetrics() throws Exception {
    Path promtool = Tools.require("promtool", "prometheus");
    // Let the first rounds run so that the labelled families have samples to check.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.get("/metrics").contains("vigil_time_probe_rounds_total 1"));
    Path metrics = tmp.resolve("metrics.txt");
    Files.writeString(metrics, agent.get("/metrics"));
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(metrics.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("promtool check metrics").isEmpty();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
