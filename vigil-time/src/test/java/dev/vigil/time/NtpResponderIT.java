package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class NtpResponderIT {
  private final SntpClient client =
      SntpClient.builder()
          .samples(3)
          .spacing(Duration.ofMillis(10))
          .timeout(Duration.ofMillis(500))
          .build();

  @Test
  void answersWithTheLocalClockAndTheConfiguredStratum() throws Exception {
    try (NtpResponder r = NtpResponder.builder().port(0).stratum(4).buildAndStart()) {
      NtpMeasurement m = client.measure(new NtpServer("127.0.0.1", r.getPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.OK);
      assertThat(m.trustedSample().orElseThrow().offsetSeconds()).isCloseTo(0, within(0.005));
      assertThat(m.trustedSample().orElseThrow().stratum()).isEqualTo(4);
      assertThat(r.answered()).isEqualTo(3);
    }
  }

  @Test
  void anUnsynchronisedNodeSaysSoAndIsNotTrusted() throws Exception {
    AtomicReference<SyncState> state = new AtomicReference<>(SyncState.unsynchronised());
    try (NtpResponder r = NtpResponder.builder().syncState(state::get).buildAndStart()) {
      NtpServer server = new NtpServer("127.0.0.1", r.getPort());
      assertThat(client.measure(server).status()).isEqualTo(NtpStatus.UNSYNCHRONISED);
      state.set(SyncState.fixed(3, 0));
      assertThat(client.measure(server).status()).isEqualTo(NtpStatus.OK);
    }
  }

  @Test
  void garbageAndNonClientPacketsAreDroppedUnanswered() throws Exception {
    try (NtpResponder r = NtpResponder.builder().stratum(2).buildAndStart();
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetAddress lo = InetAddress.getLoopbackAddress();
      s.send(new DatagramPacket(new byte[10], 10, lo, r.getPort()));
      byte[] server = NtpPacket.request(1).encode();
      server[0] = (byte) ((4 << 3) | 4); // mode 4: a reply, must not be answered (no loops)
      s.send(new DatagramPacket(server, 48, lo, r.getPort()));
      Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> r.dropped() == 2);
      assertThat(r.answered()).isZero();
    }
  }

  @Test
  void realChronydAcceptsTheResponderAsASource() throws Exception {
    Tools.require("chronyc", "chrony");
    try (NtpResponder r = NtpResponder.builder().stratum(3).buildAndStart();
        ChronydServer chronyd = ChronydServer.start(10, List.of("127.0.0.1:" + r.getPort()))) {
      Chronyc chronyc = new Chronyc(chronyd.chronycCommand(), Duration.ofSeconds(5));
      Awaitility.await("chronyd selects the responder")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> chronyc.tracking().stratum() == 4);
      ChronyTracking t = chronyc.tracking();
      assertThat(t.remoteReference()).isTrue();
      assertThat(Math.abs(t.systemTimeSeconds())).isLessThan(0.005);
      List<ChronySource> sources = chronyc.sources();
      assertThat(sources).hasSize(1);
      assertThat(sources.get(0).address()).isEqualTo("127.0.0.1");
      assertThat(sources.get(0).stratum()).isEqualTo(3);
      assertThat(sources.get(0).reachable()).isTrue();
      assertThat(sources.get(0).state()).isEqualTo(ChronySource.State.SELECTED);
    }
  }
}
