package dev.vigil.agent.syslog;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + line.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(timestamp.getEpochSecond());
      out.writeInt(timestamp.getNano());
      writeMap(out, labels);
      writeString(out, line);
      writeMap(out, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static LokiEntry decode(byte[] data) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
    Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
    Map<String, String> labels = readMap(in);
    String line = readString(in);
    Map<String, String> metadata = readMap(in);
    return new LokiEntry(labels, ts, line, metadata);
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
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

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 64 << 20) {
      throw new IOException("corrupt entry: string length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
