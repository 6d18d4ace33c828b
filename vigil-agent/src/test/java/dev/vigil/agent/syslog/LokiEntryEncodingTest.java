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

/** The journal's record layout: what older journals hold must still decode, byte for byte. */
class LokiEntryEncodingTest {
  @Property
  void encodesTheDataOutputStreamLayoutAndRoundTrips(
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
    assertThat(e.encode()).isEqualTo(reference(e));
    assertThat(LokiEntry.decode(e.encode())).isEqualTo(e);
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
      batch.add(new LokiEntry(clean(labels), Instant.ofEpochSecond(second + i, i % 2 == 0 ? 0 : 7 * i), clean(line) + i, clean(metadata)));
      i++;
    }
    assertThat(LokiEncoder.encode(batch)).isEqualTo(ReferenceLokiEncoding.encode(batch));
  }

  @net.jqwik.api.Example
  void aTruncatedRecordIsAnIoErrorNotACrash() throws IOException {
    byte[] whole =
        new LokiEntry(Map.of("host", "h"), Instant.ofEpochSecond(1, 2), "line", Map.of("k", "v")).encode();
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(whole, n);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LokiEntry.decode(cut))
          .as("first %d bytes", n)
          .isInstanceOf(IOException.class);
    }
    assertThat(LokiEntry.decode(whole).line()).isEqualTo("line");
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
