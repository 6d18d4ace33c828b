package dev.vigil.agent.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a journal record ({@link LokiEntry#encode()}'s layout: big-endian ints and longs,
 * strings as a length then UTF-8 bytes) into a growable array. ASCII strings are copied without
 * an intermediate byte[].
 */
final class RecordEncoder {
  private byte[] buf;
  private int size;

  RecordEncoder(int capacity) {
    buf = new byte[capacity];
  }

  private void room(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  void writeInt(int v) {
    room(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  void writeMap(Map<String, String> map) {
    writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(e.getKey());
      writeString(e.getValue());
    }
  }

  void writeString(String s) {
    int n = s.length();
    room(4 + n);
    int lengthAt = size;
    size += 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        size = lengthAt;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return;
      }
      buf[size++] = (byte) c;
    }
    int end = size;
    size = lengthAt;
    writeInt(n);
    size = end;
  }

  /** Current length; with {@link #patchInt} a count can be written before it is known. */
  int position() {
    return size;
  }

  void patchInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  byte[] toByteArray() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }
}
