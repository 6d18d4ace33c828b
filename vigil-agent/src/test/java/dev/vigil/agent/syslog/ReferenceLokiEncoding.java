package dev.vigil.agent.syslog;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The straightforward encoding of a {@code logproto.PushRequest} — every nested message encoded on
 * its own, then embedded — kept as the reference the single-pass {@link LokiEncoder} must equal
 * byte for byte.
 */
final class ReferenceLokiEncoding {
  private ReferenceLokiEncoding() {}

  static byte[] encode(List<LokiEntry> entries) {
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
