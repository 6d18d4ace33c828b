package dev.vigil.agent.syslog;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
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
  private LokiEncoder() {}

  public static byte[] encodeCompressed(List<LokiEntry> entries) {
    try {
      return Snappy.compress(encode(entries));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encode(List<LokiEntry> entries) {
    Map<String, List<LokiEntry>> streams = new LinkedHashMap<>();
    for (LokiEntry e : entries) {
      streams.computeIfAbsent(e.labelString(), k -> new ArrayList<>()).add(e);
    }
    return message(
        out -> {
          for (Map.Entry<String, List<LokiEntry>> s : streams.entrySet()) {
            out.writeByteArray(1, stream(s.getKey(), s.getValue()));
          }
        });
  }

  private static byte[] stream(String labels, List<LokiEntry> entries) throws IOException {
    return message(
        out -> {
          out.writeString(1, labels);
          for (LokiEntry e : entries) {
            out.writeByteArray(2, entry(e));
          }
        });
  }

  private static byte[] entry(LokiEntry e) throws IOException {
    return message(
        out -> {
          out.writeByteArray(
              1,
              message(
                  ts -> {
                    ts.writeInt64(1, e.timestamp().getEpochSecond());
                    if (e.timestamp().getNano() != 0) {
                      ts.writeInt32(2, e.timestamp().getNano());
                    }
                  }));
          out.writeString(2, e.line());
          for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            out.writeByteArray(
                3,
                message(
                    p -> {
                      p.writeString(1, m.getKey());
                      p.writeString(2, m.getValue());
                    }));
          }
        });
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
