package dev.vigil.power.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.power.MonotonicClock;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

  @Test
  void bandwidthOnLoopbackCrossesTheThreshold() throws Exception {
    BandwidthCheck check =
        new BandwidthCheck(
            "net", 2_000_000, List.of("lo"), Path.of("/proc/net/dev"), MonotonicClock.SYSTEM);
    assertThat(check.check().detail()).contains("first sample");
    Thread.sleep(200);
    // Idle loopback carries far less than 2 MB/s; other tests may add a little, not that much.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> check.check().state() == ActivityVerdict.State.IDLE);
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      Thread drain =
          new Thread(
              () -> {
                try (InputStream in = accepted.getInputStream()) {
                  in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                  // closed
                }
              });
      drain.start();
      check.check();
      long end = System.nanoTime() + 300_000_000L;
      byte[] chunk = new byte[64 * 1024];
      OutputStream out = client.getOutputStream();
      while (System.nanoTime() < end) {
        out.write(chunk);
      }
      ActivityVerdict v = check.check();
      assertThat(v.state()).as(v.detail()).isEqualTo(ActivityVerdict.State.ACTIVE);
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
