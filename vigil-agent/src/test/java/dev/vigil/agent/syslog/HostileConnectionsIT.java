package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that try to hold the TCP and TLS listeners: many idle connections from one address, a
 * byte every half second (slowloris), a TLS handshake never finished, two thousand connections at
 * once. The hostile client connects from 127.0.0.1; the well-behaved one from 127.0.0.2 (a
 * different sender address on loopback), and must still be served each time.
 */
class HostileConnectionsIT {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (log) {
            log.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final List<Socket> hostile = new ArrayList<>();

  /** Held here: the log manager keeps loggers only weakly, and the handler is on this one. */
  private final Logger logger = Logger.getLogger(ConnectionGuard.class.getName());

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void cleanUp() {
    logger.removeHandler(capture);
    for (Socket s : hostile) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private GatewayFixture start(
      LokiProtocolReceiver loki, SyslogSpec.Limits limits, SyslogSpec.Tls tls) throws Exception {
    SyslogSpec base = GatewayFixture.spec(loki.url(), SyslogSpec.Journal.defaults());
    SyslogSpec.Listen l = base.listen();
    SyslogSpec spec =
        new SyslogSpec(
            true,
            new SyslogSpec.Listen(l.address(), false, 0, true, 0, tls, l.udpReceiveBuffer()),
            limits,
            base.parsing(),
            base.journal(),
            base.archive(),
            base.loki());
    return GatewayFixture.start(tmp.resolve("data"), spec);
  }

  private static Socket connect(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** Sends n messages from 127.0.0.2 and waits until Loki has them all. */
  private static void wellBehavedClientIsServed(
      GatewayFixture gw, LokiProtocolReceiver loki, String tag, int n) throws Exception {
    try (Socket s = connect("127.0.0.2", gw.tcpPort())) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < n; i++) {
        out.write(
            ("<13>Dec  6 10:00:00 good app: " + tag + " " + i + "\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  loki.entries().stream().filter(e -> e.line().startsWith(tag + " ")).count() == n);
    }
  }

  /** True once the server has closed {@code s} (read sees end of stream or a reset). */
  private static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(50);
      InputStream in = s.getInputStream();
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void oneSenderCannotHoldMoreThanItsShare() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 100, Duration.ofMinutes(10), 5, Duration.ofSeconds(30)),
                SyslogSpec.Tls.defaults())) {
      for (int i = 0; i < 5; i++) {
        hostile.add(connect("127.0.0.1", gw.tcpPort()));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> gw.metricSum("vigil_syslog_connections", "listener=\"tcp\"") == 5);
      Socket sixth = connect("127.0.0.1", gw.tcpPort());
      hostile.add(sixth);
      await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(sixth));
      assertThat(
              gw.metricSum(
                  "vigil_syslog_connections_rejected_total", "reason=\"per_source_limit\""))
          .isEqualTo(1);
      wellBehavedClientIsServed(gw, loki, "share", 100);
      synchronized (log) {
        assertThat(log).anyMatch(l -> l.contains("127.0.0.1") && l.contains("per_source_limit"));
      }
    }
  }

  @Test
  void idleHoldersOfEveryPlaceMakeRoomForANewSender() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 50, Duration.ofMinutes(10), 50, Duration.ofMinutes(10)),
                SyslogSpec.Tls.defaults())) {
      for (int i = 0; i < 50; i++) {
        hostile.add(connect("127.0.0.1", gw.tcpPort()));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> gw.metricSum("vigil_syslog_connections", "listener=\"tcp\"") == 50);
      // Quiet for longer than the eviction floor: each new sender takes the quietest place.
      await()
          .pollDelay(ConnectionGuard.MIN_IDLE_TO_EVICT.plusMillis(200))
          .atMost(Duration.ofSeconds(5))
          .until(() -> true);
      wellBehavedClientIsServed(gw, loki, "evict", 100);
      assertThat(gw.metricSum("vigil_syslog_connections_closed_total", "reason=\"evicted_idle\""))
          .isEqualTo(1);
      assertThat(gw.metricSum("vigil_syslog_connections_rejected_total")).isZero();
      assertThat(hostile.stream().filter(HostileConnectionsIT::closedByServer).count())
          .isEqualTo(1);
    }
  }

  @Test
  void aSlowlorisClientIsClosedAndOthersServed() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 100, Duration.ofMinutes(10), 64, Duration.ofSeconds(2)),
                SyslogSpec.Tls.defaults())) {
      Socket slow = connect("127.0.0.1", gw.tcpPort());
      hostile.add(slow);
      OutputStream out = slow.getOutputStream();
      long start = System.nanoTime();
      boolean closed = false;
      // One byte every 500 ms, never a whole message: closed after the 2 s first-message timeout.
      while (!closed && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
        try {
          out.write('x');
          out.flush();
        } catch (IOException e) {
          closed = true;
          break;
        }
        closed = closedByServer(slow);
        await().pollDelay(Duration.ofMillis(450)).atMost(Duration.ofSeconds(1)).until(() -> true);
      }
      assertThat(closed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
      assertThat(
              gw.metricSum(
                  "vigil_syslog_connections_closed_total", "reason=\"first_message_timeout\""))
          .isEqualTo(1);
      wellBehavedClientIsServed(gw, loki, "slowloris", 50);
      synchronized (log) {
        assertThat(log).anyMatch(l -> l.contains("first_message_timeout"));
      }
    }
  }

  /** A TLS listener setting with a self-signed certificate for localhost made here. */
  private SyslogSpec.Tls selfSignedTls() {
    Path bin = Tools.require("openssl", "openssl");
    Tools.Run r =
        Tools.run(
            tmp,
            60,
            List.of(
                bin.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "server.key",
                "-out",
                "server.crt"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return new SyslogSpec.Tls(
        0,
        tmp.resolve("server.crt").toString(),
        tmp.resolve("server.key").toString(),
        null,
        SyslogSpec.ClientAuth.NONE);
  }

  @Test
  void aTlsHandshakeNeverFinishedIsClosed() throws Exception {
    SyslogSpec.Tls tls = selfSignedTls();
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 100, Duration.ofMinutes(10), 64, Duration.ofSeconds(2)),
                tls)) {
      List<Socket> mute = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Socket s = connect("127.0.0.1", gw.syslog.tlsPort());
        hostile.add(s);
        mute.add(s);
        // Half of them start a handshake and stop after a few bytes of a ClientHello.
        if (i % 2 == 0) {
          s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01});
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> mute.stream().allMatch(HostileConnectionsIT::closedByServer));
      assertThat(gw.metricSum("vigil_syslog_connections_closed_total", "listener=\"tls\""))
          .isEqualTo(20);
      assertThat(gw.metricSum("vigil_syslog_connections", "listener=\"tls\"")).isZero();
      wellBehavedClientIsServed(gw, loki, "tls-mute", 50);
    }
  }

  /**
   * Connections closed on a read error are counted by reason: plain text sent to the TLS port, and
   * a sender that resets its connection in the middle of a message. Neither is counted twice, and
   * the gateway keeps serving.
   */
  @Test
  void readErrorsAreCountedByReason() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 100, Duration.ofMinutes(10), 64, Duration.ofSeconds(30)),
                selfSignedTls())) {
      for (int i = 0; i < 3; i++) {
        Socket s = connect("127.0.0.1", gw.syslog.tlsPort());
        hostile.add(s);
        s.getOutputStream()
            .write("<13>Dec  6 10:00:00 plain app: not TLS\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(10)).until(() -> closedByServer(s));
      }
      for (int i = 0; i < 2; i++) {
        Socket s = connect("127.0.0.1", gw.tcpPort());
        s.getOutputStream()
            .write("<13>Dec  6 10:00:00 half app: cut he".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        // Linger 0: close sends a reset instead of a FIN.
        s.setSoLinger(true, 0);
        s.close();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  gw.metricSum(
                          "vigil_syslog_connections_closed_total",
                          "listener=\"tcp\"",
                          "reason=\"peer_error\"")
                      == 2);
      assertThat(
              gw.metricSum(
                  "vigil_syslog_connections_closed_total",
                  "listener=\"tls\"",
                  "reason=\"tls_error\""))
          .isEqualTo(3);
      assertThat(gw.metricSum("vigil_syslog_connections_closed_total")).isEqualTo(5);
      assertThat(gw.metricSum("vigil_syslog_connections")).isZero();
      wellBehavedClientIsServed(gw, loki, "after-errors", 50);
    }
  }

  @Test
  void twoThousandConnectionsAtOnceLeaveTheGatewayServing() throws Exception {
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0);
        GatewayFixture gw =
            start(
                loki,
                new SyslogSpec.Limits(
                    "64Ki", 100, Duration.ofMinutes(10), 64, Duration.ofSeconds(5)),
                SyslogSpec.Tls.defaults())) {
      Runtime rt = Runtime.getRuntime();
      long before = rt.totalMemory() - rt.freeMemory();
      for (int i = 0; i < 2000; i++) {
        try {
          hostile.add(connect("127.0.0.1", gw.tcpPort()));
        } catch (IOException e) {
          // The backlog overflowing is the kernel's answer to a flood; keep going.
        }
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> gw.metricSum("vigil_syslog_connections_rejected_total") >= 1900);
      assertThat(gw.metricSum("vigil_syslog_connections", "listener=\"tcp\""))
          .isLessThanOrEqualTo(64);
      wellBehavedClientIsServed(gw, loki, "flood", 200);
      synchronized (log) {
        // Rate-limited: one line per reason, not two thousand.
        assertThat(log).filteredOn(l -> l.contains("per_source_limit")).hasSize(1);
      }
      System.gc();
      long after = rt.totalMemory() - rt.freeMemory();
      assertThat(after - before).as("heap growth").isLessThan(64L << 20);
    }
  }
}
