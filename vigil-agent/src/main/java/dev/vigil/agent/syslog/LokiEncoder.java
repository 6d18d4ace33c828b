package dev.vigil.agent.syslog;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Encodes a batch as Loki's {@code logproto.PushRequest}, snappy block-compressed, as Loki's
 * {@code /loki/api/v1/push} expects with {@code Content-Type: application/x-protobuf}.
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
   * (protobuf's length prefixes come before the bytes), so nothing is encoded twice or copied.
   */
  public static byte[] encode(List<LokiEntry> entries) {
    Map<String, List<LokiEntry>> streams = new LinkedHashMap<>();
    for (LokiEntry e : entries) {
      streams.computeIfAbsent(e.labelString(), k -> new ArrayList<>()).add(e);
    }
    int total = 0;
    List<int[]> entrySizes = new ArrayList<>(streams.size());
    int[] streamSizes = new int[streams.size()];
    int s = 0;
    for (Map.Entry<String, List<LokiEntry>> stream : streams.entrySet()) {
      int[] sizes = new int[stream.getValue().size()];
      int size = CodedOutputStream.computeStringSize(1, stream.getKey());
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = entrySize(stream.getValue().get(i));
        size += delimited(2, sizes[i]);
      }
      entrySizes.add(sizes);
      streamSizes[s++] = size;
      total += delimited(1, size);
    }
    byte[] buf = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    try {
      s = 0;
      for (Map.Entry<String, List<LokiEntry>> stream : streams.entrySet()) {
        int[] sizes = entrySizes.get(s);
        out.writeTag(1, LEN);
        out.writeUInt32NoTag(streamSizes[s++]);
        out.writeString(1, stream.getKey());
        for (int i = 0; i < sizes.length; i++) {
          LokiEntry e = stream.getValue().get(i);
          out.writeTag(2, LEN);
          out.writeUInt32NoTag(sizes[i]);
          out.writeTag(1, LEN);
          out.writeUInt32NoTag(timestampSize(e));
          out.writeInt64(1, e.timestamp().getEpochSecond());
          if (e.timestamp().getNano() != 0) {
            out.writeInt32(2, e.timestamp().getNano());
          }
          out.writeString(2, e.line());
          for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            out.writeTag(3, LEN);
            out.writeUInt32NoTag(pairSize(m));
            out.writeString(1, m.getKey());
            out.writeString(2, m.getValue());
          }
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf;
  }

  /** A length-delimited field: tag, length, body. */
  private static int delimited(int field, int size) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  private static int timestampSize(LokiEntry e) {
    int n = CodedOutputStream.computeInt64Size(1, e.timestamp().getEpochSecond());
    if (e.timestamp().getNano() != 0) {
      n += CodedOutputStream.computeInt32Size(2, e.timestamp().getNano());
    }
    return n;
  }

  private static int pairSize(Map.Entry<String, String> m) {
    return CodedOutputStream.computeStringSize(1, m.getKey())
        + CodedOutputStream.computeStringSize(2, m.getValue());
  }

  private static int entrySize(LokiEntry e) {
    int n = delimited(1, timestampSize(e)) + CodedOutputStream.computeStringSize(2, e.line());
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      n += delimited(3, pairSize(m));
    }
    return n;
  }
}
