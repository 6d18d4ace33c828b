package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Journal records transcoded straight into a push request give exactly the bytes of the decoded
 * entries encoded by {@link LokiEncoder}: streams in order of first appearance, entries in read
 * order, every text the same.
 */
class RecordPushEncoderTest {
  static final Instant NOW = SyslogParserFastPathTest.NOW;

  private static List<Journal.Record> records(List<byte[]> payloads) {
    List<Journal.Record> out = new ArrayList<>();
    long end = 0;
    for (byte[] p : payloads) {
      end += 8 + p.length;
      out.add(new Journal.Record(end, p));
    }
    return out;
  }

  private static byte[] reference(List<byte[]> payloads) throws Exception {
    List<LokiEntry> entries = new ArrayList<>();
    for (byte[] p : payloads) {
      entries.add(LokiEntry.decode(p));
    }
    return LokiEncoder.encode(entries);
  }

  @Example
  void theCorpusAsTheGatewayWritesIt() throws Exception {
    EntryMapper mapper =
        new EntryMapper(Map.of("cluster", "lab"), Duration.ofDays(7), Duration.ofMinutes(10));
    SyslogParser parser = new SyslogParser();
    List<byte[]> payloads = new ArrayList<>();
    for (SyslogParserCorpusTest.Case c : SyslogParserCorpusTest.load()) {
      // Each message twice, apart: a stream seen again after others.
      RawMessage raw = new RawMessage(c.raw(), NOW, c.sender(), "tcp", false);
      payloads.add(mapper.encode(raw, parser.parse(raw)));
    }
    payloads.addAll(new ArrayList<>(payloads));
    RecordPushEncoder.Encoded e = RecordPushEncoder.encode(records(payloads));
    assertThat(e.records()).hasSize(payloads.size());
    assertThat(e.undecodable()).isEmpty();
    assertThat(e.request()).isEqualTo(reference(payloads));
  }

  @Property
  void anyEntriesTranscodeToTheirEncoding(
      @ForAll @Size(max = 10) List<@Size(max = 3) Map<String, String>> labelSets,
      @ForAll String line,
      @ForAll @Size(max = 5) Map<String, String> metadata,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long second)
      throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    int i = 0;
    for (Map<String, String> labels : labelSets) {
      Map<String, String> md = clean(metadata);
      md.put("received_at", Instant.ofEpochSecond(second, 1000 * i).toString());
      LokiEntry e =
          new LokiEntry(
              clean(labels),
              Instant.ofEpochSecond(second + i, i % 2 == 0 ? 0 : 7 * i),
              clean(line) + i,
              md);
      payloads.add(e.encode());
      i++;
    }
    assertThat(RecordPushEncoder.encode(records(payloads)).request())
        .isEqualTo(reference(payloads));
  }

  @Example
  void oneLabelSetWrittenTwoWaysIsOneStreamInReadOrder() throws Exception {
    // The mapper spells a host out; an entry's own encoding makes "info" a dictionary word.
    EntryMapper mapper = new EntryMapper(Map.of(), Duration.ofDays(7), Duration.ofMinutes(10));
    RawMessage raw =
        new RawMessage(
            "<14>1 2026-01-12T09:00:00Z info app - - - m".getBytes(StandardCharsets.US_ASCII),
            NOW,
            "10.0.0.1",
            "tcp",
            false);
    SyslogMessage m = new SyslogParser().parse(raw);
    byte[] spelled = mapper.encode(raw, m);
    byte[] worded = mapper.map(raw, m).encode();
    assertThat(spelled).isNotEqualTo(worded);
    List<byte[]> payloads = List.of(spelled, worded, spelled, worded);
    assertThat(RecordPushEncoder.encode(records(payloads)).request())
        .isEqualTo(reference(payloads));
  }

  @Example
  void undecodableRecordsAreLeftOutAndNamed() throws Exception {
    LokiEntry a =
        new LokiEntry(Map.of("host", "h"), Instant.ofEpochSecond(1, 2), "line", Map.of("k", "v"));
    byte[] good = a.encode();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    List<Journal.Record> in = records(List.of(good, cut, trailing, good));
    RecordPushEncoder.Encoded e = RecordPushEncoder.encode(in);
    assertThat(e.records()).containsExactly(in.get(0), in.get(3));
    assertThat(e.undecodable()).containsExactly(in.get(1), in.get(2));
    assertThat(e.request()).isEqualTo(reference(List.of(good, good)));
  }

  private static String clean(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static Map<String, String> clean(Map<String, String> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(clean(k), clean(v)));
    return out;
  }
}
