package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `vigil agent` end to end: the example spec with an overlay for free ports, then a stop. */
class AgentCommandIT {
  @TempDir Path tmp;

  @Test
  void agentRunsTheExampleAndStopsGracefully() throws Exception {
    int udp;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp = probe.getLocalPort();
    }
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      Path overlay = tmp.resolve("test.yaml");
      Files.writeString(
          overlay,
          "syslog:\n  listen:\n    udpPort: "
              + udp
              + "\n    tcp: false\n  loki:\n    url: "
              + loki.url()
              + "\n");
      AgentCommand cmd = new AgentCommand();
      StringWriter out = new StringWriter();
      CommandLine cl = new CommandLine(cmd);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(out, true));
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  cl.execute(
                      "-f", Path.of("..", "examples", "syslog-gateway", "vigil.yaml").toString(),
                      "-e", overlay.toString(),
                      "--data-dir", tmp.resolve("data").toString(),
                      "--http-address", "127.0.0.1",
                      "--http-port", "0"));
      await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("agent running"));
      Matcher m = Pattern.compile("http port (\\d+)").matcher(out.toString());
      assertThat(m.find()).isTrue();
      int http = Integer.parseInt(m.group(1));
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("syslog: ok");
      byte[] msg =
          "<14>Jan 12 09:00:00 cli-test demo: via the command".getBytes(StandardCharsets.UTF_8);
      try (DatagramSocket s = new DatagramSocket()) {
        s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), udp));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> loki.entries().stream().anyMatch(e -> e.line().equals("via the command")));
      assertThat(loki.entries().get(0).labels()).containsEntry("cluster", "syslog-demo");
      cmd.stop.countDown();
      assertThat(run.get()).isZero();
      assertThat(out.toString()).contains("agent stopped");
    }
  }
}
