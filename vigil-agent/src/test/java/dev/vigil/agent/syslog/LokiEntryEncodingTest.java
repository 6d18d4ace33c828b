package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The journal's record layouts: the compact one round-trips, and the first one still decodes. */
class LokiEntryEncodingTest {
  @Property
  void roundTripsAndTheFirstLayoutStillDecodes(
      @ForAll @Size(max = 4) Map<String, String> labels,
      @ForAll String line,
      @ForAll @Size(max = 6) Map<String, String> metadata,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long second)
      throws IOException {
    // Unpaired surrogates have no UTF-8 form; syslog text decoded from bytes never holds one.
    labels = clean(labels);
    metadata = clean(metadata);
    line = clean(line);
    LokiEntry e = new LokiEntry(labels, Instant.ofEpochSecond(second, 123_456_789), line, metadata);
    // Journals written in the first layout still replay.
    assertThat(LokiEntry.decode(reference(e))).isEqualTo(e);
    LokiEntry back = LokiEntry.decode(e.encode());
    assertThat(back).isEqualTo(e);
    assertThat(back.metadata().keySet()).containsExactlyElementsOf(e.metadata().keySet());
  }

  @Property
  void wordsAndManyFieldsRoundTrip(
      @ForAll("words") java.util.List<String> words,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 300) int extra)
      throws IOException {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    for (int i = 0; i < words.size(); i++) {
      labels.put(words.get(i), words.get((i + 1) % words.size()));
      metadata.put(words.get(i) + (i % 2 == 0 ? "" : "_x"), words.get(i));
    }
    // Past 127 entries the count takes a second varint byte.
    for (int i = 0; i < extra; i++) {
      metadata.put("kv_" + i, "v" + i);
    }
    LokiEntry e = new LokiEntry(labels, Instant.ofEpochSecond(1_800_000_000L, 5), "line", metadata);
    LokiEntry back = LokiEntry.decode(e.encode());
    assertThat(back).isEqualTo(e);
    assertThat(back.metadata().keySet()).containsExactlyElementsOf(e.metadata().keySet());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<java.util.List<String>> words() {
    return net.jqwik.api.Arbitraries.of(
            java.util.Arrays.copyOfRange(RecordFormat.WORDS, 1, RecordFormat.WORDS.length))
        .list()
        .ofMinSize(1)
        .ofMaxSize(20);
  }

  @net.jqwik.api.Example
  void theCompactLayoutIsAboutHalfTheFirstForATypicalMessage() throws IOException {
    EntryMapper mapper =
        new EntryMapper(
            Map.of("cluster", "lab"),
            java.time.Duration.ofDays(7),
            java.time.Duration.ofMinutes(10));
    byte[] text =
        "<134>Jan 12 10:00:00 loadgen bench[4242]: run 00000001 user=alice action=login result=ok"
            .getBytes(StandardCharsets.US_ASCII);
    RawMessage raw =
        new RawMessage(
            text, Instant.parse("2026-06-01T10:00:00.123456Z"), "192.0.2.10", "tcp", false);
    LokiEntry e = mapper.map(raw, new SyslogParser().parse(raw));
    byte[] compact = mapper.encode(raw, new SyslogParser().parse(raw));
    assertThat(LokiEntry.decode(compact)).isEqualTo(e);
    assertThat(compact.length).isLessThan(reference(e).length * 6 / 10);
  }

  @Property
  void pushRequestEqualsTheNestedReferenceEncoding(
      @ForAll @Size(max = 12) java.util.List<@Size(max = 3) Map<String, String>> labelSets,
      @ForAll String line,
      @ForAll @Size(max = 5) Map<String, String> metadata,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long second) {
    java.util.List<LokiEntry> batch = new java.util.ArrayList<>();
    int i = 0;
    for (Map<String, String> labels : labelSets) {
      // Every other entry without nanos: the timestamp's second field is then left out.
      batch.add(
          new LokiEntry(
              clean(labels),
              Instant.ofEpochSecond(second + i, i % 2 == 0 ? 0 : 7 * i),
              clean(line) + i,
              clean(metadata)));
      i++;
    }
    assertThat(LokiEncoder.encode(batch)).isEqualTo(ReferenceLokiEncoding.encode(batch));
  }

  @net.jqwik.api.Example
  void aTruncatedRecordIsAnIoErrorNotACrash() throws IOException {
    Map<String, String> md = new java.util.LinkedHashMap<>();
    md.put("k", "v");
    md.put("severity", "info"); // last: the record ends with this word's one-byte tag
    LokiEntry e = new LokiEntry(Map.of("host", "h"), Instant.ofEpochSecond(1, 2), "line", md);
    for (byte[] whole : new byte[][] {e.encode(), reference(e)}) {
      for (int n = 0; n < whole.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(whole, n);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LokiEntry.decode(cut))
            .as("first %d bytes", n)
            .isInstanceOf(IOException.class);
      }
      assertThat(LokiEntry.decode(whole).line()).isEqualTo("line");
    }
    // A word index past the dictionary is corruption, not an exception of another kind.
    byte[] bad = e.encode();
    bad[bad.length - 1] = 0x7e;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LokiEntry.decode(bad))
        .isInstanceOf(IOException.class);
  }

  private static String clean(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static Map<String, String> clean(Map<String, String> m) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(clean(k), clean(v)));
    return out;
  }

  private static byte[] reference(LokiEntry e) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      out.writeLong(e.timestamp().getEpochSecond());
      out.writeInt(e.timestamp().getNano());
      write(out, e.labels());
      write(out, e.line());
      write(out, e.metadata());
    }
    return b.toByteArray();
  }

  private static void write(DataOutputStream out, Map<String, String> m) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, String> x : m.entrySet()) {
      write(out, x.getKey());
      write(out, x.getValue());
    }
  }

  private static void write(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
