package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the gateway sends stays within what Loki v3.5.3 accepts by default, and says so when cut.
 */
class EntryMapperLimitsTest {
  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  final SyslogParser parser = new SyslogParser();
  final EntryMapper mapper =
      new EntryMapper(Map.of("cluster", "c"), Duration.ofDays(7), Duration.ofMinutes(10));

  LokiEntry map(String text) throws Exception {
    RawMessage raw =
        new RawMessage(text.getBytes(StandardCharsets.UTF_8), NOW, "192.0.2.7", "tcp", false);
    SyslogMessage msg = parser.parse(raw);
    LokiEntry viaMap = mapper.map(raw, msg);
    // The receive path writes the record directly; it must decode to the same entry.
    assertThat(LokiEntry.decode(mapper.encode(raw, msg))).isEqualTo(viaMap);
    return viaMap;
  }

  @Test
  void threeThousandStructuredDataPairsStayUnderLokisEntryLimit() throws Exception {
    StringBuilder sd = new StringBuilder("[big@32473");
    for (int i = 0; i < 3003; i++) {
      sd.append(" p").append(i).append("=\"v").append(i).append('"');
    }
    sd.append(']');
    LokiEntry e = map("<13>1 2026-12-06T10:00:00Z host app 1 - " + sd + " body");
    assertThat(e.metadata()).hasSizeLessThanOrEqualTo(EntryMapper.MAX_METADATA_ENTRIES);
    assertThat(e.metadata()).containsKey("sd_big_32473_p0").containsKey("sender");
    int kept = (int) e.metadata().keySet().stream().filter(k -> k.startsWith("sd_big")).count();
    assertThat(e.metadata().get("metadata_truncated")).isEqualTo(Integer.toString(3003 - kept));
  }

  @Test
  void largeValuesStayUnderLokisSizeLimit() throws Exception {
    StringBuilder sd = new StringBuilder("[big@32473");
    for (int i = 0; i < 40; i++) {
      sd.append(" p").append(i).append("=\"").append("v".repeat(3000)).append('"');
    }
    sd.append(']');
    LokiEntry e = map("<13>1 2026-12-06T10:00:00Z host app 1 - " + sd + " body");
    int size =
        e.metadata().entrySet().stream()
            .mapToInt(m -> m.getKey().length() + m.getValue().length())
            .sum();
    assertThat(size).isLessThanOrEqualTo(64 * 1024);
    assertThat(e.metadata()).containsKey("metadata_truncated");
  }

  @Test
  void anOverlongHostIsCutAndFlagged() throws Exception {
    String host = "h".repeat(10_000);
    LokiEntry e = map("<13>1 2026-12-06T10:00:00Z " + host + " app 1 - - body");
    assertThat(e.labels().get("host")).hasSize(EntryMapper.MAX_HOST);
    assertThat(e.metadata()).containsEntry("label_truncated", "host");
  }

  @Test
  void controlCharactersInLabelsAreReplaced() {
    assertThat(EntryMapper.labelValue("ro\u0001uter\u007f", 253)).isEqualTo("ro_uter_");
    assertThat(EntryMapper.labelValue("plain", 253)).isEqualTo("plain");
  }

  @Test
  void anOrdinaryMessageIsNotFlagged() throws Exception {
    LokiEntry e = map("<13>1 2026-12-06T10:00:00Z host app 1 - [a@1 x=\"1\"] body");
    assertThat(e.metadata()).doesNotContainKeys("metadata_truncated", "label_truncated");
  }
}
