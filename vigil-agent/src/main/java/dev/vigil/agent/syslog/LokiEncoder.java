package dev.vigil.agent.syslog;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Encodes a batch as Loki's {@code logproto.PushRequest}, snappy block-compressed, as Loki's {@code
 * /loki/api/v1/push} expects with {@code Content-Type: application/x-protobuf}.
 *
 * <pre>
 * PushRequest    { repeated StreamAdapter streams = 1; }
 * StreamAdapter  { string labels = 1; repeated EntryAdapter entries = 2; }
 * EntryAdapter   { Timestamp timestamp = 1; string line = 2;
 *                  repeated LabelPairAdapter structuredMetadata = 3; }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp      { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 */
public final class LokiEncoder {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private LokiEncoder() {}

  public static byte[] encodeCompressed(List<LokiEntry> entries) {
    try {
      return Snappy.compress(encode(entries));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The request in one pass over one exact-size array: nested message sizes are computed first
   * (protobuf's length prefixes come before the bytes), so nothing is encoded twice or copied. Each
   * text is turned into UTF-8 once; its length gives the sizes and its bytes are written.
   */
  public static byte[] encode(List<LokiEntry> entries) {
    Map<String, List<Encoded>> streams = new LinkedHashMap<>();
    Map<String, String> lastLabels = null;
    List<Encoded> lastStream = null;
    for (LokiEntry e : entries) {
      // Consecutive entries mostly share a stream: compare the labels before quoting them.
      if (lastLabels == null || !lastLabels.equals(e.labels())) {
        lastLabels = e.labels();
        lastStream = streams.computeIfAbsent(e.labelString(), k -> new ArrayList<>());
      }
      lastStream.add(new Encoded(e));
    }
    int total = 0;
    byte[][] keys = new byte[streams.size()][];
    int[] streamSizes = new int[streams.size()];
    int s = 0;
    for (Map.Entry<String, List<Encoded>> stream : streams.entrySet()) {
      keys[s] = utf8(stream.getKey());
      int size = bytesSize(1, keys[s]);
      for (Encoded e : stream.getValue()) {
        size += delimited(2, e.size);
      }
      streamSizes[s++] = size;
      total += delimited(1, size);
    }
    byte[] buf = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    try {
      s = 0;
      for (List<Encoded> stream : streams.values()) {
        out.writeTag(1, LEN);
        out.writeUInt32NoTag(streamSizes[s]);
        writeBytes(out, 1, keys[s++]);
        for (Encoded e : stream) {
          out.writeTag(2, LEN);
          out.writeUInt32NoTag(e.size);
          out.writeTag(1, LEN);
          out.writeUInt32NoTag(e.timestampSize);
          out.writeInt64(1, e.seconds);
          if (e.nanos != 0) {
            out.writeInt32(2, e.nanos);
          }
          writeBytes(out, 2, e.line);
          for (int m = 0; m < e.metadata.length; m += 2) {
            out.writeTag(3, LEN);
            out.writeUInt32NoTag(e.pairSizes[m / 2]);
            writeBytes(out, 1, e.metadata[m]);
            writeBytes(out, 2, e.metadata[m + 1]);
          }
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf;
  }

  /** One entry's texts in UTF-8 and its message sizes, computed once. */
  private static final class Encoded {
    final long seconds;
    final int nanos;
    final int timestampSize;
    final byte[] line;

    /** Name, value, name, value, ... */
    final byte[][] metadata;

    final int[] pairSizes;
    final int size;

    Encoded(LokiEntry e) {
      seconds = e.timestamp().getEpochSecond();
      nanos = e.timestamp().getNano();
      int ts = CodedOutputStream.computeInt64Size(1, seconds);
      if (nanos != 0) {
        ts += CodedOutputStream.computeInt32Size(2, nanos);
      }
      timestampSize = ts;
      line = utf8(e.line());
      metadata = new byte[2 * e.metadata().size()][];
      pairSizes = new int[e.metadata().size()];
      int n = delimited(1, timestampSize) + bytesSize(2, line);
      int m = 0;
      for (Map.Entry<String, String> p : e.metadata().entrySet()) {
        byte[] name = utf8(p.getKey());
        byte[] value = utf8(p.getValue());
        metadata[2 * m] = name;
        metadata[2 * m + 1] = value;
        pairSizes[m] = bytesSize(1, name) + bytesSize(2, value);
        n += delimited(3, pairSizes[m]);
        m++;
      }
      size = n;
    }
  }

  /** UTF-8 of a text; the dictionary's words (most metadata names) are encoded once. */
  private static byte[] utf8(String s) {
    byte[] w = WORD_BYTES.get(s);
    return w != null ? w : s.getBytes(StandardCharsets.UTF_8);
  }

  private static final Map<String, byte[]> WORD_BYTES = new java.util.HashMap<>();

  static {
    for (int i = 1; i < RecordFormat.WORDS.length; i++) {
      WORD_BYTES.put(RecordFormat.WORDS[i], RecordFormat.WORDS[i].getBytes(StandardCharsets.UTF_8));
    }
  }

  private static int bytesSize(int field, byte[] b) {
    return delimited(field, b.length);
  }

  private static void writeBytes(CodedOutputStream out, int field, byte[] b) throws IOException {
    out.writeTag(field, LEN);
    out.writeUInt32NoTag(b.length);
    out.writeRawBytes(b);
  }

  /** A length-delimited field: tag, length, body. */
  private static int delimited(int field, int size) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }
}
