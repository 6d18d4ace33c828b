package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.loki.PushRequestDecoder;
import dev.vigil.testing.loki.ReceivedEntry;
import dev.vigil.testing.loki.SnappyBlock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LokiEncoderTest {
  @Test
  void pushRequestDecodesAsLokiReadsIt() throws Exception {
    LokiEntry a =
        new LokiEntry(
            Map.of("host", "a \"quoted\" host", "app", "sshd"),
            Instant.parse("2026-01-12T10:00:00.123456789Z"),
            "line one ✓",
            Map.of("sender", "10.0.0.1", "sd_x_y", "z"));
    LokiEntry b =
        new LokiEntry(Map.of("host", "b", "app", "cron"), Instant.ofEpochSecond(5), "", Map.of());
    LokiEntry c = new LokiEntry(a.labels(), Instant.ofEpochSecond(6), "same stream", Map.of());
    byte[] wire = LokiEncoder.encodeCompressed(List.of(a, b, c));
    List<ReceivedEntry> got = PushRequestDecoder.decode(SnappyBlock.decompress(wire), "t1");
    assertThat(got).hasSize(3);
    ReceivedEntry first =
        got.stream().filter(e -> e.line().equals("line one ✓")).findFirst().orElseThrow();
    assertThat(first.labels())
        .containsEntry("host", "a \"quoted\" host")
        .containsEntry("app", "sshd");
    assertThat(first.timestamp()).isEqualTo(a.timestamp());
    assertThat(first.structuredMetadata())
        .containsEntry("sender", "10.0.0.1")
        .containsEntry("sd_x_y", "z");
    assertThat(got)
        .extracting(ReceivedEntry::line)
        .containsExactlyInAnyOrder("line one ✓", "", "same stream");
  }

  @Test
  void journalEncodingRoundTrips() throws Exception {
    LokiEntry a =
        new LokiEntry(
            Map.of("host", "h"), Instant.parse("2026-01-12T10:00:00.5Z"), "x\ny", Map.of("k", "v"));
    assertThat(LokiEntry.decode(a.encode())).isEqualTo(a);
  }

  @Test
  void eventTimeOutsideLokiWindowFallsBackToReceiveTimeAndKeepsTheOriginal() {
    EntryMapper mapper =
        new EntryMapper(Map.of("cluster", "lab"), Duration.ofDays(7), Duration.ofMinutes(10));
    Instant now = Instant.parse("2026-01-12T10:00:00Z");
    RawMessage raw = new RawMessage("x".getBytes(), now, "10.0.0.1", "udp", true);
    SyslogParser p = new SyslogParser();
    LokiEntry old =
        mapper.map(
            raw, p.parse("<13>1 1999-01-01T00:00:00Z h a - - - m".getBytes(), now, "10.0.0.1"));
    assertThat(old.timestamp()).isEqualTo(now);
    assertThat(old.metadata())
        .containsEntry("event_time", "1999-01-01T00:00:00Z")
        .containsEntry("timestamp_fallback", "too-old");
    assertThat(old.metadata())
        .containsEntry("truncated", "true")
        .containsEntry("received_at", now.toString());
    LokiEntry future =
        mapper.map(
            raw, p.parse("<13>1 2026-01-12T11:00:00Z h a - - - m".getBytes(), now, "10.0.0.1"));
    assertThat(future.timestamp()).isEqualTo(now);
    assertThat(future.metadata()).containsEntry("timestamp_fallback", "in-future");
    LokiEntry good =
        mapper.map(
            raw, p.parse("<13>1 2026-01-12T09:59:00Z h a - - - m".getBytes(), now, "10.0.0.1"));
    assertThat(good.timestamp()).isEqualTo(Instant.parse("2026-01-12T09:59:00Z"));
    assertThat(good.labels())
        .containsOnlyKeys("cluster", "host", "app", "severity", "facility", "listener");
  }
}
