package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import dev.vigil.testing.ntp.LyingNtpServer.Behaviour;
import java.net.DatagramSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SNTP client against a real chronyd and against a server that lies on purpose. */
class SntpClientIT {
  private static ChronydServer chronyd;
  private final SntpClient client =
      SntpClient.builder()
          .samples(4)
          .spacing(Duration.ofMillis(20))
          .timeout(Duration.ofMillis(500))
          .build();

  @BeforeAll
  static void startChronyd() throws Exception {
    chronyd = ChronydServer.startLocal(8);
  }

  @AfterAll
  static void stopChronyd() {
    if (chronyd != null) {
      chronyd.close();
    }
  }

  @Test
  void realChronydOnLoopbackIsWithinFiveMillisecondsOfZero() {
    NtpMeasurement m = client.measure(NtpServer.parse(chronyd.hostPort()));
    assertThat(m.status()).as(m.detail()).isEqualTo(NtpStatus.OK);
    NtpSample s = m.trustedSample().orElseThrow();
    assertThat(s.offsetSeconds()).isCloseTo(0.0, within(0.005));
    assertThat(s.delaySeconds()).isBetween(0.0, 0.05);
    assertThat(s.stratum()).isEqualTo(8);
    assertThat(s.leap()).isEqualTo(LeapIndicator.NONE);
    assertThat(m.requestsSent()).isEqualTo(4);
    assertThat(m.validReplies()).isEqualTo(4);
  }

  @Test
  void serverSetToPlusTwoAndAHalfSecondsIsMeasuredWithinFiveMilliseconds() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(2.5)) {
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.OK);
      assertThat(m.trustedSample().orElseThrow().offsetSeconds()).isCloseTo(2.5, within(0.005));
    }
  }

  @Test
  void serverBehindIsANegativeOffset() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(-0.75)) {
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.trustedSample().orElseThrow().offsetSeconds()).isCloseTo(-0.75, within(0.005));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Behaviour.class,
      names = {"KOD_DENY", "KOD_RSTR", "KOD_RATE"})
  void kissOfDeathIsReportedNeverTrustedAndStopsTheRound(Behaviour kod) throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.start(kod)) {
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.valueOf(kod.name()));
      assertThat(m.status().kissOfDeath()).isTrue();
      assertThat(m.trustedSample()).isEmpty();
      assertThat(m.sample()).isEmpty();
      assertThat(m.detail()).contains(kod.name().substring(4));
      assertThat(liar.requests()).as("no further requests after a kiss").isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Behaviour.class,
      names = {"LEAP_UNSYNCHRONISED", "STRATUM_16"})
  void unsynchronisedServersAreReportedAndNeverTrusted(Behaviour b) throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.start(b)) {
      liar.offsetSeconds(30);
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.UNSYNCHRONISED);
      assertThat(m.trustedSample()).isEmpty();
      assertThat(m.sample()).as("what it claimed is kept for the report").isPresent();
      assertThat(m.detail()).contains("not synchronised");
    }
  }

  @Test
  void mismatchedOriginIsRejected() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.start(Behaviour.WRONG_ORIGIN)) {
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.INVALID);
      assertThat(m.trustedSample()).isEmpty();
      assertThat(m.detail()).contains("origin timestamp");
    }
  }

  @Test
  void wrongModeIsRejected() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.start(Behaviour.WRONG_MODE)) {
      NtpMeasurement m = client.measure(NtpServer.parse(liar.hostPort()));
      assertThat(m.status()).isEqualTo(NtpStatus.INVALID);
      assertThat(m.detail()).contains("mode BROADCAST");
    }
  }

  @Test
  void silentServerTimesOutWithinTheBound() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.start(Behaviour.SILENT)) {
      long start = System.nanoTime();
      NtpMeasurement m =
          SntpClient.builder()
              .samples(2)
              .spacing(Duration.ZERO)
              .timeout(Duration.ofMillis(300))
              .build()
              .measure(NtpServer.parse(liar.hostPort()));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(m.status()).isEqualTo(NtpStatus.TIMEOUT);
      assertThat(m.reachable()).isFalse();
      assertThat(liar.requests()).isEqualTo(2);
      assertThat(ms).isBetween(550L, 5000L);
    }
  }

  @Test
  void closedPortIsNotReachable() throws Exception {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    NtpMeasurement m =
        SntpClient.builder()
            .samples(1)
            .timeout(Duration.ofMillis(300))
            .build()
            .measure(new NtpServer("127.0.0.1", port));
    assertThat(m.status()).isEqualTo(NtpStatus.TIMEOUT);
    assertThat(m.trustedSample()).isEmpty();
  }

  @Test
  void oneBadReplyAmongGoodOnesKeepsTheGoodMinimumDelaySample() throws Exception {
    try (LyingNtpServer liar = LyingNtpServer.withOffset(0.2)) {
      SntpClient c =
          SntpClient.builder()
              .samples(3)
              .spacing(Duration.ofMillis(150))
              .timeout(Duration.ofMillis(300))
              .build();
      Thread flip =
          new Thread(
              () -> {
                liar.behaviour(Behaviour.SILENT);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
                liar.behaviour(Behaviour.HONEST);
              });
      flip.start();
      NtpMeasurement m = c.measure(NtpServer.parse(liar.hostPort()));
      flip.join();
      assertThat(m.status()).isEqualTo(NtpStatus.OK);
      assertThat(m.validReplies()).isBetween(1, 3);
      assertThat(m.trustedSample().orElseThrow().offsetSeconds()).isCloseTo(0.2, within(0.005));
    }
  }
}
