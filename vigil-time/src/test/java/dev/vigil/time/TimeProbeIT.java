package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import dev.vigil.testing.ntp.LyingNtpServer.Behaviour;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TimeProbeIT {
  private static ChronydServer chronyd;
  private static final SntpClient CLIENT =
      SntpClient.builder()
          .samples(2)
          .spacing(Duration.ofMillis(10))
          .timeout(Duration.ofMillis(400))
          .build();

  @BeforeAll
  static void start() throws Exception {
    chronyd = ChronydServer.startLocal(8);
  }

  @AfterAll
  static void stop() {
    if (chronyd != null) {
      chronyd.close();
    }
  }

  @Test
  void exportsOffsetsStatusesAndChronyAndObeysKissOfDeath() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (LyingNtpServer ahead = LyingNtpServer.withOffset(2.5);
        LyingNtpServer deny = LyingNtpServer.start(Behaviour.KOD_DENY);
        LyingNtpServer rate = LyingNtpServer.start(Behaviour.KOD_RATE);
        LyingNtpServer unsync = LyingNtpServer.start(Behaviour.LEAP_UNSYNCHRONISED);
        NtpResponder peer = NtpResponder.builder().stratum(9).buildAndStart();
        TimeProbe probe =
            TimeProbe.builder()
                .registry(registry)
                .upstream(
                    List.of(
                        NtpServer.parse(chronyd.hostPort()),
                        NtpServer.parse(ahead.hostPort()),
                        NtpServer.parse(deny.hostPort()),
                        NtpServer.parse(rate.hostPort()),
                        NtpServer.parse(unsync.hostPort())))
                .peers(List.of(new NtpServer("127.0.0.1", peer.getPort())))
                .client(CLIENT)
                .chronyc(new Chronyc(chronyd.chronycCommand(), Duration.ofSeconds(5)))
                .build()) {
      TimeProbe.Round round = probe.runOnce();
      assertThat(round.measurements()).hasSize(6);

      String chrony = chronyd.hostPort();
      assertThat(
              Metrics.value(
                      registry, "vigil_time_offset_seconds", "server", chrony, "role", "upstream")
                  .orElseThrow())
          .isCloseTo(0, within(0.005));
      assertThat(Metrics.value(registry, "vigil_time_stratum", "server", chrony).orElseThrow())
          .isEqualTo(8);
      var roundTrip =
          Metrics.histogram(
              registry, "vigil_time_delay_seconds", "server", chrony, "role", "upstream");
      assertThat(roundTrip.getCount()).isEqualTo(1);
      // Loopback: well under a millisecond, and never negative.
      assertThat(roundTrip.getSum()).isBetween(0.0, 0.001);
      assertThat(Metrics.value(registry, "vigil_time_trusted", "server", chrony).orElseThrow())
          .isEqualTo(1);
      assertThat(
              Metrics.value(registry, "vigil_time_offset_seconds", "server", ahead.hostPort())
                  .orElseThrow())
          .isCloseTo(2.5, within(0.005));
      assertThat(
              Metrics.value(
                      registry,
                      "vigil_time_offset_seconds",
                      "server",
                      peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                      "role",
                      "peer")
                  .orElseThrow())
          .isCloseTo(0, within(0.005));

      // Refusals and unsynchronised servers: reachable, not trusted, no offset exported.
      for (LyingNtpServer s : List.of(deny, rate, unsync)) {
        assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", s.hostPort()))
            .isEmpty();
        assertThat(Metrics.histogram(registry, "vigil_time_delay_seconds", "server", s.hostPort()))
            .isNull();
        assertThat(
                Metrics.value(registry, "vigil_time_trusted", "server", s.hostPort()).orElseThrow())
            .isZero();
        assertThat(
                Metrics.value(registry, "vigil_time_reachable", "server", s.hostPort())
                    .orElseThrow())
            .isEqualTo(1);
      }
      assertThat(
              Metrics.value(
                      registry,
                      "vigil_time_status",
                      "server",
                      deny.hostPort(),
                      "status",
                      "kod_deny")
                  .orElseThrow())
          .isEqualTo(1);
      assertThat(
              Metrics.value(
                      registry, "vigil_time_status", "server", deny.hostPort(), "status", "ok")
                  .orElseThrow())
          .isZero();
      assertThat(
              Metrics.value(registry, "vigil_time_leap_status", "server", unsync.hostPort())
                  .orElseThrow())
          .isEqualTo(3);
      assertThat(
              Metrics.value(registry, "vigil_time_trusted_sources", "role", "upstream")
                  .orElseThrow())
          .isEqualTo(2);

      // The local chrony, read through chronyc on its command port.
      assertThat(Metrics.value(registry, "vigil_time_chrony_up").orElseThrow()).isEqualTo(1);
      assertThat(Metrics.value(registry, "vigil_time_chrony_stratum").orElseThrow()).isEqualTo(8);
      assertThat(Metrics.value(registry, "vigil_time_chrony_leap_status").orElseThrow()).isZero();
      assertThat(probe.responderState().stratum()).isEqualTo(9);

      // Second round: DENY is never asked again, RATE is skipped while backing off.
      int denyRequests = deny.requests();
      int rateRequests = rate.requests();
      probe.runOnce();
      probe.runOnce();
      assertThat(deny.requests()).isEqualTo(denyRequests);
      assertThat(rate.requests()).isEqualTo(rateRequests);
      probe.runOnce();
      assertThat(rate.requests())
          .as("RATE is asked again after backing off two rounds")
          .isEqualTo(rateRequests + 1);
      assertThat(Metrics.value(registry, "vigil_time_probe_rounds_total").orElseThrow())
          .isEqualTo(4);
    }
  }

  @Test
  void chronyFollowingAServerAheadReportsTheSameSignAsTheProbe() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (LyingNtpServer ahead = LyingNtpServer.withOffset(2.5);
        ChronydServer follower = ChronydServer.start(10, List.of(ahead.hostPort()));
        TimeProbe probe =
            TimeProbe.builder()
                .registry(registry)
                .upstream(List.of(NtpServer.parse(ahead.hostPort())))
                .chronyc(new Chronyc(follower.chronycCommand(), Duration.ofSeconds(5)))
                .client(CLIENT)
                .build()) {
      // chronyd runs with -x: it measures the 2.5 s but cannot correct it, so it keeps reporting
      // it.
      Awaitility.await("chronyd selects the server ahead")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                probe.runOnce();
                return Metrics.value(registry, "vigil_time_chrony_stratum").orElse(0) == 3;
              });
      double chronyCorrection =
          Metrics.value(registry, "vigil_time_chrony_system_time_seconds").orElseThrow();
      double probeOffset =
          Metrics.value(registry, "vigil_time_offset_seconds", "server", ahead.hostPort())
              .orElseThrow();
      assertThat(chronyCorrection).isCloseTo(2.5, within(0.005));
      assertThat(probeOffset).isCloseTo(2.5, within(0.005));
      assertThat(Metrics.value(registry, "vigil_time_chrony_sources_reachable").orElseThrow())
          .isEqualTo(1);
      assertThat(
              Metrics.value(registry, "vigil_time_chrony_source_selected", "source", "127.0.0.1")
                  .orElseThrow())
          .isEqualTo(1);
      assertThat(
              Metrics.value(
                      registry,
                      "vigil_time_chrony_source_reachability_ratio",
                      "source",
                      "127.0.0.1")
                  .orElseThrow())
          .isGreaterThan(0);
      assertThat(Metrics.value(registry, "vigil_time_chrony_synchronised").orElseThrow())
          .isEqualTo(1);
      assertThat(probe.responderState().stratum()).isEqualTo(4);
    }
  }

  @Test
  void offsetDisappearsWhenAServerStopsBeingTrustworthy() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (LyingNtpServer s = LyingNtpServer.withOffset(0.3);
        TimeProbe probe =
            TimeProbe.builder()
                .registry(registry)
                .upstream(List.of(NtpServer.parse(s.hostPort())))
                .client(CLIENT)
                .build()) {
      probe.runOnce();
      assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", s.hostPort()))
          .isPresent();
      s.behaviour(Behaviour.SILENT);
      probe.runOnce();
      assertThat(Metrics.value(registry, "vigil_time_offset_seconds", "server", s.hostPort()))
          .isEmpty();
      assertThat(
              Metrics.value(registry, "vigil_time_reachable", "server", s.hostPort()).orElseThrow())
          .isZero();
      assertThat(
              Metrics.value(
                      registry, "vigil_time_status", "server", s.hostPort(), "status", "timeout")
                  .orElseThrow())
          .isEqualTo(1);
    }
  }

  @Test
  void chronycFailureIsExportedNotThrown() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TimeProbe probe =
        TimeProbe.builder()
            .registry(registry)
            .chronyc(new Chronyc(List.of("/nonexistent/chronyc"), Duration.ofSeconds(2)))
            .client(CLIENT)
            .build()) {
      TimeProbe.Round r = probe.runOnce();
      assertThat(r.chronyError()).get().asString().contains("cannot run");
      assertThat(Metrics.value(registry, "vigil_time_chrony_up").orElseThrow()).isZero();
    }
  }

  @Test
  void aClosedProbeLeavesItsNamesForTheNextOne() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    for (int i = 0; i < 2; i++) {
      try (TimeProbe probe =
          TimeProbe.builder()
              .registry(registry)
              .upstream(List.of(NtpServer.parse(chronyd.hostPort())))
              .client(CLIENT)
              .build()) {
        probe.runOnce();
        assertThat(Metrics.value(registry, "vigil_time_probe_rounds_total").orElseThrow())
            .isEqualTo(1);
      }
    }
    assertThat(registry.scrape().size()).isZero();
  }

  @Test
  void scheduledProbeRunsByItself() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (TimeProbe probe =
        TimeProbe.builder()
            .registry(registry)
            .upstream(List.of(NtpServer.parse(chronyd.hostPort())))
            .interval(Duration.ofSeconds(1))
            .client(CLIENT)
            .buildAndStart()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Metrics.value(registry, "vigil_time_probe_rounds_total").orElse(0) >= 2);
    }
  }
}
