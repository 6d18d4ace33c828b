package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loki v3.5.3's 400 bodies (distributor validator and ingester) mapped to the refused entries. */
class LokiRejectionsTest {
  static final Instant NOW = Instant.parse("2026-12-06T10:00:00.123456789Z");

  static LokiEntry entry(String app, Instant t, String line) {
    return new LokiEntry(Map.of("app", app, "host", "h1"), t, line, Map.of("sender", "10.0.0.1"));
  }

  @Test
  void groupedTooOldAndLineTooLongNameExactlyTheirEntries() {
    List<LokiEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(entry("sshd", NOW.plusMillis(i), "ok " + i));
    }
    Instant old = Instant.parse("2026-11-01T08:00:00.5Z");
    entries.add(entry("sshd", old, "old a"));
    entries.add(entry("sshd", old.plusMillis(100), "old b"));
    entries.add(entry("cron", NOW, "x".repeat(300)));
    String body =
        "1 errors like: Max entry size '256' bytes exceeded for stream '{app=\"cron\", host=\"h1\", service_name=\"cron\"}'"
            + " while adding an entry with length '300' bytes; 2 errors like: entry for stream"
            + " '{app=\"sshd\", host=\"h1\", service_name=\"sshd\"}' has timestamp too old: 2026-11-01T08:00:00Z,"
            + " oldest acceptable timestamp is: 2026-11-29T10:00:00Z\n";
    List<LokiRejections.Refused> refused = LokiRejections.refused(body, entries);
    assertThat(refused).extracting(LokiRejections.Refused::index).containsExactly(10, 11, 12);
    assertThat(refused.get(2).reason()).startsWith("Max entry size '256'");
  }

  @Test
  void aSingleMessageHasNoCount() {
    List<LokiEntry> entries = List.of(entry("a", NOW, "fine"), entry("a", NOW, "m".repeat(70)));
    String body =
        "Max entry size '64' bytes exceeded for stream '{app=\"a\", host=\"h1\"}' while adding an entry with length '70' bytes\n";
    assertThat(LokiRejections.refused(body, entries))
        .extracting(LokiRejections.Refused::index)
        .containsExactly(1);
  }

  @Test
  void tooManyStructuredMetadataEntries() {
    List<LokiEntry> entries = List.of(entry("a", NOW, "fine"));
    String body =
        "stream '{app=\"a\", host=\"h1\"}' has too many structured metadata labels: '1', limit: '0'. Please see"
            + " `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it.\n";
    assertThat(LokiRejections.refused(body, entries))
        .extracting(LokiRejections.Refused::index)
        .containsExactly(0);
  }

  @Test
  void ingesterOutOfOrderListNamesFullTimestamps() {
    Instant t = Instant.parse("2026-12-06T10:00:00.25Z");
    List<LokiEntry> entries = List.of(entry("a", t, "one"), entry("a", t.plusSeconds(1), "two"));
    String body =
        "entry with timestamp 2026-12-06 10:00:00.25 +0000 UTC ignored, reason: 'entry too far behind, entry timestamp is: 2026-12-06T10:00:00Z, oldest acceptable timestamp is: 2026-12-06T10:30:00Z',\n"
            + "user 'tenant-a', total ignored: 1 out of 2 for stream: {app=\"a\", host=\"h1\"}\n";
    assertThat(LokiRejections.refused(body, entries))
        .extracting(LokiRejections.Refused::index)
        .containsExactly(0);
  }

  @Test
  void moreRefusalsThanItCanPlaceIsUnknown() {
    List<LokiEntry> entries = List.of(entry("a", NOW, "one"));
    String body =
        "3 errors like: entry for stream '{app=\"a\", host=\"h1\"}' has timestamp too new: 2026-12-06T10:00:00Z\n";
    assertThat(LokiRejections.refused(body, entries)).isNull();
  }

  @Test
  void aBodyLokiDoesNotWriteForEntriesIsUnknown() {
    List<LokiEntry> entries = List.of(entry("a", NOW, "one"));
    assertThat(
            LokiRejections.refused("couldn't parse push request: snappy: corrupt input\n", entries))
        .isNull();
    assertThat(LokiRejections.refused("", entries)).isNull();
    // The stream named is not one of ours.
    assertThat(
            LokiRejections.refused(
                "entry for stream '{app=\"zzz\"}' has timestamp too new: 2026-12-06T10:00:00Z\n",
                entries))
        .isNull();
  }

  @Test
  void retryAfterSecondsAndDates() {
    long now = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();
    assertThat(RetryAfter.millis("7", now)).isEqualTo(7000);
    assertThat(RetryAfter.millis("Sun, 06 Dec 2026 10:00:30 GMT", now)).isEqualTo(30_000);
    assertThat(RetryAfter.millis("999999", now)).isEqualTo(RetryAfter.MAX_MILLIS);
    assertThat(RetryAfter.millis("soon", now)).isZero();
    assertThat(RetryAfter.millis(null, now)).isZero();
  }
}
