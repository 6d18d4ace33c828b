package dev.vigil.agent.syslog;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One log entry as Loki stores it: stream labels, timestamp, line and structured metadata. This
 * is also what the journal holds, so a replay pushes exactly what was first accepted.
 */
public record LokiEntry(
    Map<String, String> labels, Instant timestamp, String line, Map<String, String> metadata) {

  public LokiEntry {
    labels = new TreeMap<>(labels);
    metadata = new LinkedHashMap<>(metadata);
  }

  /** The stream selector in Loki's text form, labels sorted: {@code {app="sshd", host="a"}}. */
  public String labelString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append("=\"");
      quote(sb, e.getValue());
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void quote(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\':
          sb.append("\\\\");
          break;
        case '"':
          sb.append("\\\"");
          break;
        case '\n':
          sb.append("\\n");
          break;
        default:
          sb.append(c);
      }
    }
  }

  /**
   * The journal record: epoch second (8 bytes) and nano (4), labels, line, metadata; maps as a
   * count then key/value pairs, strings as a length then UTF-8 bytes, all big-endian (the layout
   * of {@link java.io.DataOutputStream}, which {@link #decode} reads).
   */
  public byte[] encode() {
    RecordEncoder out = new RecordEncoder(96 + line.length() + 32 * (labels.size() + metadata.size()));
    out.writeLong(timestamp.getEpochSecond());
    out.writeInt(timestamp.getNano());
    out.writeMap(labels);
    out.writeString(line);
    out.writeMap(metadata);
    return out.toByteArray();
  }

  public static LokiEntry decode(byte[] data) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
    Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
    Map<String, String> labels = readMap(in);
    String line = readString(in);
    Map<String, String> metadata = readMap(in);
    return new LokiEntry(labels, ts, line, metadata);
  }

  private static Map<String, String> readMap(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("corrupt entry: map size " + n);
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(readString(in), readString(in));
    }
    return map;
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 64 << 20) {
      throw new IOException("corrupt entry: string length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
