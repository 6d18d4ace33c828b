package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients that send the first line of a request and nothing more must not take the agent's
 * health and metrics endpoints with them: the kubelet's liveness probe would restart the agent.
 */
class HalfSentRequestsIT {
  @TempDir Path tmp;

  @Test
  void twoHalfSentRequestsDoNotFreezeHealthzAndMetrics() throws Exception {
    try (Agent agent =
        Agent.builder().httpAddress("127.0.0.1").httpPort(0).dataDir(tmp).buildAndStart()) {
      List<Socket> hostile = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.getHttpPort());
          OutputStream out = s.getOutputStream();
          out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          hostile.add(s);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : List.of("/healthz", "/readyz", "/metrics")) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.getHttpPort() + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
      } finally {
        for (Socket s : hostile) {
          s.close();
        }
      }
    }
  }
}
