package dev.vigil.agent.syslog;

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
    Reader in = new Reader(data);
    Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
    Map<String, String> labels = in.readMap(new TreeMap<>());
    String line = in.readString();
    Map<String, String> metadata = in.readMap(new LinkedHashMap<>());
    return new LokiEntry(labels, ts, line, metadata);
  }

  /** Reads {@link #encode()}'s layout from an array; a truncated or corrupt record is an IOException. */
  private static final class Reader {
    private final byte[] b;
    private int at;

    Reader(byte[] b) {
      this.b = b;
    }

    private void need(int n) throws IOException {
      if (n < 0 || at + n > b.length) {
        throw new IOException("corrupt entry: " + n + " bytes wanted at " + at + " of " + b.length);
      }
    }

    int readInt() throws IOException {
      need(4);
      int v = ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
      at += 4;
      return v;
    }

    long readLong() throws IOException {
      return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    Map<String, String> readMap(Map<String, String> map) throws IOException {
      int n = readInt();
      if (n < 0 || n > 100_000) {
        throw new IOException("corrupt entry: map size " + n);
      }
      for (int i = 0; i < n; i++) {
        map.put(readString(), readString());
      }
      return map;
    }

    String readString() throws IOException {
      int n = readInt();
      if (n > 64 << 20) {
        throw new IOException("corrupt entry: string length " + n);
      }
      need(n);
      String s = new String(b, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }
  }

}
