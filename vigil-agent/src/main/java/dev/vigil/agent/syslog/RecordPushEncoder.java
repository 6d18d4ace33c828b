package dev.vigil.agent.syslog;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Journal records ({@link RecordFormat}'s layout) straight into Loki's {@code PushRequest}, the
 * same bytes {@link LokiEncoder} makes of the decoded entries, without decoding them: the texts'
 * UTF-8 is copied from the records, the dictionary's words from their encoded form, and entries are
 * grouped by stream on the bytes of their labels. The pusher's batches stay the records they were
 * read as (about 190 bytes an entry) instead of an object graph per entry.
 *
 * <p>Two passes over each record: sizes first (protobuf puts lengths before contents), then the
 * bytes into one array of exactly the request's size.
 */
final class RecordPushEncoder {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final byte[][] WORD_BYTES = new byte[RecordFormat.WORDS.length][];

  static {
    for (int i = 1; i < WORD_BYTES.length; i++) {
      WORD_BYTES[i] = RecordFormat.WORDS[i].getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The request and the records it holds (records that do not decode are left out). */
  record Encoded(byte[] request, List<Journal.Record> records, List<Journal.Record> undecodable) {}

  private RecordPushEncoder() {}

  static Encoded encode(List<Journal.Record> records) {
    for (Journal.Record r : records) {
      if (r.payload().length == 0 || r.payload()[0] != RecordFormat.VERSION) {
        return viaEntries(records);
      }
    }
    RecordPushEncoder.Pass pass = new Pass();
    List<Journal.Record> kept = new ArrayList<>(records.size());
    List<Journal.Record> bad = new ArrayList<>(0);
    // Streams in the order they first appear, as LokiEncoder orders them.
    Map<Region, List<Integer>> byRegion = new LinkedHashMap<>();
    int[] sizes = new int[records.size()];
    Region last = null;
    List<Integer> lastList = null;
    for (Journal.Record r : records) {
      byte[] p = r.payload();
      int size;
      int labelsEnd;
      try {
        pass.reset(p);
        labelsEnd = pass.skipLabels();
        size = pass.entrySize();
      } catch (IOException | RuntimeException e) {
        bad.add(r);
        continue;
      }
      int index = kept.size();
      kept.add(r);
      sizes[index] = size;
      if (last == null || !last.sameAs(p, Pass.LABELS, labelsEnd)) {
        last = new Region(p, Pass.LABELS, labelsEnd);
        lastList = byRegion.computeIfAbsent(last, k -> new ArrayList<>());
      }
      lastList.add(index);
    }
    // Label bytes can differ for one label set (a value spelled out in one record, a word in
    // another): streams are merged by their label string.
    Map<String, List<Integer>> streams = new LinkedHashMap<>();
    boolean merged = false;
    for (Map.Entry<Region, List<Integer>> e : byRegion.entrySet()) {
      List<Integer> stream = streams.get(e.getKey().labelString());
      if (stream == null) {
        streams.put(e.getKey().labelString(), e.getValue());
      } else {
        stream.addAll(e.getValue());
        merged = true;
      }
    }
    if (merged) {
      // Entries of a stream in the order they were read.
      streams.values().forEach(l -> l.sort(null));
    }
    byte[][] keys = new byte[streams.size()][];
    int[] streamSizes = new int[streams.size()];
    int total = 0;
    int s = 0;
    for (Map.Entry<String, List<Integer>> e : streams.entrySet()) {
      keys[s] = e.getKey().getBytes(StandardCharsets.UTF_8);
      int size = delimited(1, keys[s].length);
      for (int i : e.getValue()) {
        size += delimited(2, sizes[i]);
      }
      streamSizes[s++] = size;
      total += delimited(1, size);
    }
    byte[] buf = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    try {
      s = 0;
      for (List<Integer> entries : streams.values()) {
        out.writeTag(1, LEN);
        out.writeUInt32NoTag(streamSizes[s]);
        writeBytes(out, 1, keys[s], 0, keys[s].length);
        s++;
        for (int i : entries) {
          out.writeTag(2, LEN);
          out.writeUInt32NoTag(sizes[i]);
          pass.reset(kept.get(i).payload());
          pass.skipLabels();
          pass.writeEntry(out);
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(buf, kept, bad);
  }

  /** Records of the first layout (journals of earlier versions): decoded, then encoded. */
  private static Encoded viaEntries(List<Journal.Record> records) {
    List<LokiEntry> entries = new ArrayList<>(records.size());
    List<Journal.Record> kept = new ArrayList<>(records.size());
    List<Journal.Record> bad = new ArrayList<>(0);
    for (Journal.Record r : records) {
      try {
        entries.add(LokiEntry.decode(r.payload()));
        kept.add(r);
      } catch (IOException | RuntimeException e) {
        bad.add(r);
      }
    }
    return new Encoded(LokiEncoder.encode(entries), kept, bad);
  }

  /** A record's label bytes, compared and hashed as bytes. */
  private static final class Region {
    final byte[] b;
    final int from;
    final int to;
    final int hash;

    Region(byte[] b, int from, int to) {
      this.b = b;
      this.from = from;
      this.to = to;
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + b[i];
      }
      hash = h;
    }

    boolean sameAs(byte[] o, int oFrom, int oTo) {
      return Arrays.equals(b, from, to, o, oFrom, oTo);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Region r && hash == r.hash && sameAs(r.b, r.from, r.to);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    String labelString() {
      Pass p = new Pass();
      p.reset(b);
      try {
        int n = p.varint();
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
          labels.put(p.text(), p.text());
        }
        return LokiEntry.labelString(labels);
      } catch (IOException e) {
        throw new IllegalStateException("labels checked in the first pass", e);
      }
    }
  }

  /** Walks one record: sizes, then bytes. */
  private static final class Pass {
    /** Where the labels start: version byte, epoch second, nano. */
    static final int LABELS = 13;

    private byte[] b;
    private int at;

    /** The last instant written as text, and its UTF-8 (received_at repeats within a read). */
    private long lastSecond = Long.MIN_VALUE;

    private int lastNano;
    private byte[] lastInstant;

    void reset(byte[] payload) {
      b = payload;
      at = LABELS;
    }

    int skipLabels() throws IOException {
      need(0);
      int n = varint();
      if (n > 100_000) {
        throw new IOException("label count " + n);
      }
      for (int i = 0; i < 2 * n; i++) {
        skipText();
      }
      return at;
    }

    /** Size of the EntryAdapter of a record whose labels were skipped; checks the rest. */
    int entrySize() throws IOException {
      long sec = second();
      int nano = nano();
      int size = delimited(1, timestampSize(sec, nano));
      size += delimited(2, textLength());
      int n = varint();
      if (n > 100_000) {
        throw new IOException("metadata count " + n);
      }
      for (int i = 0; i < n; i++) {
        int pair = delimited(1, textLength()) + delimited(2, textLength());
        size += delimited(3, pair);
      }
      if (at != b.length) {
        throw new IOException((b.length - at) + " bytes after the record's end");
      }
      return size;
    }

    void writeEntry(CodedOutputStream out) throws IOException {
      long sec = second();
      int nano = nano();
      out.writeTag(1, LEN);
      out.writeUInt32NoTag(timestampSize(sec, nano));
      out.writeInt64(1, sec);
      if (nano != 0) {
        out.writeInt32(2, nano);
      }
      writeText(out, 2);
      int n = varint();
      for (int i = 0; i < n; i++) {
        int nameAt = at;
        int name = textLength();
        int value = textLength();
        at = nameAt;
        out.writeTag(3, LEN);
        out.writeUInt32NoTag(delimited(1, name) + delimited(2, value));
        writeText(out, 1);
        writeText(out, 2);
      }
    }

    private long second() {
      long v = 0;
      for (int i = 1; i < 9; i++) {
        v = v << 8 | (b[i] & 0xff);
      }
      return v;
    }

    private int nano() {
      return (b[9] & 0xff) << 24 | (b[10] & 0xff) << 16 | (b[11] & 0xff) << 8 | (b[12] & 0xff);
    }

    private static int timestampSize(long sec, int nano) {
      int n = CodedOutputStream.computeInt64Size(1, sec);
      return nano == 0 ? n : n + CodedOutputStream.computeInt32Size(2, nano);
    }

    /** UTF-8 length of the text at the cursor, which moves past it. */
    private int textLength() throws IOException {
      int tag = varint();
      if ((tag & 1) == 1) {
        int n = tag >>> 1;
        need(n);
        at += n;
        return n;
      }
      int w = tag >>> 1;
      if (w == RecordFormat.INSTANT) {
        need(12);
        int len = instant(at).length;
        at += 12;
        return len;
      }
      if (w >= WORD_BYTES.length) {
        throw new IOException("unknown word " + w);
      }
      return WORD_BYTES[w].length;
    }

    private void writeText(CodedOutputStream out, int field) throws IOException {
      int tag = varint();
      if ((tag & 1) == 1) {
        int n = tag >>> 1;
        writeBytes(out, field, b, at, n);
        at += n;
        return;
      }
      int w = tag >>> 1;
      byte[] word = w == RecordFormat.INSTANT ? instant(at) : WORD_BYTES[w];
      if (w == RecordFormat.INSTANT) {
        at += 12;
      }
      writeBytes(out, field, word, 0, word.length);
    }

    private String text() throws IOException {
      int tag = varint();
      if ((tag & 1) == 1) {
        int n = tag >>> 1;
        need(n);
        String s = new String(b, at, n, StandardCharsets.UTF_8);
        at += n;
        return s;
      }
      int w = tag >>> 1;
      if (w == RecordFormat.INSTANT) {
        need(12);
        String s = new String(instant(at), StandardCharsets.US_ASCII);
        at += 12;
        return s;
      }
      if (w >= WORD_BYTES.length) {
        throw new IOException("unknown word " + w);
      }
      return RecordFormat.WORDS[w];
    }

    private void skipText() throws IOException {
      textLength();
    }

    /** The ISO-8601 text of the instant stored at {@code p} (12 bytes), as the reader writes it. */
    private byte[] instant(int p) {
      long sec = 0;
      for (int i = p; i < p + 8; i++) {
        sec = sec << 8 | (b[i] & 0xff);
      }
      int nano =
          (b[p + 8] & 0xff) << 24
              | (b[p + 9] & 0xff) << 16
              | (b[p + 10] & 0xff) << 8
              | (b[p + 11] & 0xff);
      if (sec != lastSecond || nano != lastNano || lastInstant == null) {
        lastInstant =
            IsoInstant.format(Instant.ofEpochSecond(sec, nano)).getBytes(StandardCharsets.US_ASCII);
        lastSecond = sec;
        lastNano = nano;
      }
      return lastInstant;
    }

    private void need(int n) throws IOException {
      if (n < 0 || at + n > b.length) {
        throw new IOException(
            "record ends early: " + n + " bytes wanted at " + at + " of " + b.length);
      }
    }

    int varint() throws IOException {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        need(1);
        byte x = b[at++];
        v |= (x & 0x7f) << shift;
        if (x >= 0) {
          if (v < 0) {
            break;
          }
          return v;
        }
      }
      throw new IOException("bad varint before " + at);
    }
  }

  private static void writeBytes(CodedOutputStream out, int field, byte[] b, int off, int len)
      throws IOException {
    out.writeTag(field, LEN);
    out.writeUInt32NoTag(len);
    out.write(b, off, len);
  }

  private static int delimited(int field, int size) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }
}
