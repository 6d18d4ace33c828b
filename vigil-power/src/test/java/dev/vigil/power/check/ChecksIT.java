package dev.vigil.power.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.power.MonotonicClock;
import dev.vigil.testing.Tools;
import dev.vigil.testing.netns.NetnsPair;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activity checks against the real kernel tables, real commands and a real Prometheus. */
class ChecksIT {
  @TempDir Path dir;

  @Test
  void establishedLoopbackConnectionIsActivityAndItsEndIsNot() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      TcpConnectionsCheck check =
          new TcpConnectionsCheck("jellyfin", List.of(server.getLocalPort()), Path.of("/proc/net"));
      assertThat(check.check().state()).isEqualTo(ActivityVerdict.State.IDLE);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket accepted = server.accept()) {
        ActivityVerdict v = check.check();
        assertThat(v.state()).isEqualTo(ActivityVerdict.State.ACTIVE);
        assertThat(v.detail()).contains("127.0.0.1->" + server.getLocalPort());
      }
      assertThat(check.check().state()).isEqualTo(ActivityVerdict.State.IDLE);
    }
  }

  @Test
  void commandExitCodesMapToVerdictsAndAMissingProgramIsAnError() {
    assertThat(new CommandCheck("c", List.of("true"), Duration.ofSeconds(5)).safeCheck().state())
        .isEqualTo(ActivityVerdict.State.ACTIVE);
    assertThat(new CommandCheck("c", List.of("false"), Duration.ofSeconds(5)).safeCheck().state())
        .isEqualTo(ActivityVerdict.State.IDLE);
    assertThat(
            new CommandCheck("c", List.of("sh", "-c", "exit 3"), Duration.ofSeconds(5))
                .safeCheck()
                .state())
        .isEqualTo(ActivityVerdict.State.ERROR);
    ActivityVerdict missing =
        new CommandCheck("c", List.of("/nonexistent/program"), Duration.ofSeconds(5)).safeCheck();
    assertThat(missing.state()).isEqualTo(ActivityVerdict.State.ERROR);
    assertThat(missing.keepsAwake(true)).isTrue();
    assertThat(missing.keepsAwake(false)).isFalse();
    ActivityVerdict slow =
        new CommandCheck("c", List.of("sleep", "5"), Duration.ofMillis(300)).safeCheck();
    assertThat(slow.state()).isEqualTo(ActivityVerdict.State.ERROR);
    assertThat(slow.detail()).contains("timed out");
  }

  /**
   * The counters of a network namespace of the test's own, not the machine's loopback: on a busy
   * machine other tests and benchmarks move megabytes a second over it, and the idle verdict would
   * depend on them.
   */
  @Test
  void bandwidthCrossesTheThresholdInANamespaceOfItsOwn() throws Exception {
    Path python = Tools.require("python3", "python3");
    try (NetnsPair net = NetnsPair.create()) {
      Process holder = net.start(net.nsA(), List.of("sleep", "600"));
      try {
        // ip netns exec execs the command: the holder's /proc entry shows the namespace's counters.
        Path dev = Path.of("/proc", Long.toString(holder.pid()), "net", "dev");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.exists(dev) && Files.readString(dev).contains("veth0"));
        BandwidthCheck check =
            new BandwidthCheck("net", 2_000_000, List.of("lo"), dev, MonotonicClock.SYSTEM);
        assertThat(check.check().detail()).contains("first sample");
        // An interval to measure over, not a wait for a condition.
        Thread.sleep(200);
        ActivityVerdict idle = check.check();
        assertThat(idle.state()).as(idle.detail()).isEqualTo(ActivityVerdict.State.IDLE);
        // 60 MB of datagrams over the namespace's loopback to a bound socket that never reads
        // (the device counts them; no ICMP error stops the sender). However slow a busy machine
        // makes it, the rate stays far above 2 MB/s: that would take 30 s.
        Tools.Run send =
            net.run(
                net.nsA(),
                120,
                List.of(
                    python.toString(),
                    "-c",
                    "import socket\n"
                        + "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                        + "r.bind(('127.0.0.1', 0))\n"
                        + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                        + "s.connect(r.getsockname())\n"
                        + "d = bytes(60000)\n"
                        + "for _ in range(1000):\n"
                        + "    s.send(d)\n"));
        assertThat(send.ok()).as(send.output()).isTrue();
        ActivityVerdict v = check.check();
        assertThat(v.state()).as(v.detail()).isEqualTo(ActivityVerdict.State.ACTIVE);
      } finally {
        holder.destroy();
        holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void loadAboveTheThresholdIsActivity() throws Exception {
    Path loadavg = dir.resolve("loadavg");
    Files.writeString(loadavg, "2.50 1.00 0.50 3/200 12345\n");
    assertThat(new LoadCheck("load", 2.0, loadavg).check().state())
        .isEqualTo(ActivityVerdict.State.ACTIVE);
    assertThat(new LoadCheck("load", 3.0, loadavg).check().state())
        .isEqualTo(ActivityVerdict.State.IDLE);
    assertThat(new LoadCheck("load", 1000, Path.of("/proc/loadavg")).check().state())
        .isEqualTo(ActivityVerdict.State.IDLE);
  }

  @Test
  void promqlCheckAgainstARealPrometheus() throws Exception {
    Path prometheus = Tools.require("prometheus", "prometheus");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\n");
    Process p =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      PrometheusClient client =
          new PrometheusClient("http://127.0.0.1:" + port, Duration.ofSeconds(5));
      assertThat(new PromQlCheck("q", client, "vector(1) > 0").check().state())
          .isEqualTo(ActivityVerdict.State.ACTIVE);
      assertThat(new PromQlCheck("q", client, "vector(1) > 2").check().state())
          .isEqualTo(ActivityVerdict.State.IDLE);
      ActivityVerdict bad = new PromQlCheck("q", client, "sum(").safeCheck();
      assertThat(bad.state()).isEqualTo(ActivityVerdict.State.ERROR);
      assertThat(bad.detail()).contains("rejected 'sum(' (HTTP 400)");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  @Test
  void unreachablePrometheusIsAnErrorNotIdleness() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ActivityVerdict v =
        new PromQlCheck(
                "q", new PrometheusClient("http://127.0.0.1:" + port, Duration.ofSeconds(2)), "up")
            .safeCheck();
    assertThat(v.state()).isEqualTo(ActivityVerdict.State.ERROR);
    assertThat(v.detail()).contains("cannot reach Prometheus at http://127.0.0.1:" + port);
  }
}
