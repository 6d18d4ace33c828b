package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch age per severity: with a long {@code batchWait}, chatter waits for it, while an {@code
 * err} message takes the waiting batch to Loki after {@code urgentBatchWait}. The bounds leave a
 * busy machine its delays: nothing arrives for 3 s of a 60 s batch age, and the urgent push is
 * awaited for 30 s, half the batch age it must beat.
 */
class UrgentPushIT {
  @TempDir Path data;

  private static SyslogSpec spec(String lokiUrl, String urgentSeverity) {
    SyslogSpec d = GatewayFixture.spec(lokiUrl, SyslogSpec.Journal.defaults());
    return new SyslogSpec(
        d.enabled(),
        d.listen(),
        d.limits(),
        d.parsing(),
        d.journal(),
        d.archive(),
        new SyslogSpec.Loki(
            lokiUrl,
            null,
            Map.of(),
            "1Mi",
            Duration.ofSeconds(60),
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            urgentSeverity,
            Duration.ofMillis(100)));
  }

  private static void send(int port, String... lines) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
    }
  }

  @Test
  void anErrMessageTakesTheWaitingBatchToLokiWithoutWaitingForTheBatchAge() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(data, spec(loki.url(), "err"))) {
      // <134> = local0.info, <131> = local0.err
      send(gw.tcpPort(), "<134>1 2026-12-06T10:00:00Z web1 app - - - chatter one");
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(4))
          .until(() -> loki.entries().isEmpty());
      send(gw.tcpPort(), "<131>1 2026-12-06T10:00:01Z web1 app - - - disk failed");
      await().atMost(Duration.ofSeconds(30)).until(() -> loki.entries().size() == 2);
      assertThat(loki.entries())
          .extracting(e -> e.labels().get("severity"))
          .containsExactlyInAnyOrder("info", "err");
    }
  }

  @Test
  void withNoneEveryMessageWaitsForTheBatchAge() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw = GatewayFixture.start(data, spec(loki.url(), "none"))) {
      send(gw.tcpPort(), "<128>1 2026-12-06T10:00:00Z web1 app - - - an emergency, batched");
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(4))
          .until(() -> loki.entries().isEmpty());
    }
  }
}
