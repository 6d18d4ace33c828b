package dev.vigil.agent.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes journal records ({@link RecordFormat}'s layout: big-endian ints and longs, varint counts,
 * texts as a varint tag then UTF-8 bytes or a word of the dictionary) into a growable array, and
 * frames them for the journal. One instance per listener thread is reused from batch to batch.
 */
final class RecordEncoder {
  private byte[] buf;
  private int size;

  RecordEncoder(int capacity) {
    buf = new byte[capacity];
  }

  /** Empties the encoder, keeping its array for the next batch. */
  void reset() {
    size = 0;
  }

  /** Drops everything after {@code position} (a record that failed half-way). */
  void truncate(int position) {
    size = position;
  }

  /** Reserves a journal record header; returns where it is, for {@link #endRecord}. */
  int beginRecord() {
    room(Journal.RECORD_HEADER);
    int at = size;
    size += Journal.RECORD_HEADER;
    return at;
  }

  /** Fills in the header reserved at {@code at}: the payload's length and CRC-32C. */
  void endRecord(int at) {
    int payload = at + Journal.RECORD_HEADER;
    int length = size - payload;
    patchInt(at, length);
    patchInt(at + 4, Journal.crc(buf, payload, length));
  }

  /** The backing array; valid up to {@link #position()} until the next write. */
  byte[] array() {
    return buf;
  }

  private void room(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  void writeByte(int v) {
    room(1);
    buf[size++] = (byte) v;
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

  /** An unsigned varint (7 bits per byte, low groups first). */
  void writeVarint(int v) {
    room(5);
    while ((v & ~0x7f) != 0) {
      buf[size++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  /** Word {@code index} of {@link RecordFormat#WORDS}. */
  void writeWord(int index) {
    if (index < 64) {
      // Every word of the dictionary: one byte.
      room(1);
      buf[size++] = (byte) (index << 1);
      return;
    }
    writeVarint(index << 1);
  }

  /** An instant, read back as its ISO-8601 text. */
  void writeInstant(Instant t) {
    writeWord(RecordFormat.INSTANT);
    writeLong(t.getEpochSecond());
    writeInt(t.getNano());
  }

  /** A text spelled out: its UTF-8 length in the tag, then the bytes. */
  void writeText(String s) {
    int n = s.length();
    if (n >= 16) {
      // Longer texts (the line above all): the JDK copies an ASCII string's bytes in one block.
      writeUtf8(s.getBytes(StandardCharsets.UTF_8));
      return;
    }
    room(1 + n);
    int tagAt = size;
    size++;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        size = tagAt;
        writeUtf8(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      buf[size++] = (byte) c;
    }
    // n < 16: the tag 2n+1 fits the one byte reserved.
    buf[tagAt] = (byte) (2 * n + 1);
  }

  /** A text already in UTF-8. */
  void writeUtf8(byte[] b) {
    writeVarint(2 * b.length + 1);
    room(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** The sender of the previous record, and its UTF-8: consecutive records mostly share it. */
  private String lastSender;

  private byte[] lastSenderBytes;

  /** {@link #writeText} for the sender address, encoded once per run of one sender. */
  void writeSender(String s) {
    if (lastSender != s && !s.equals(lastSender)) {
      lastSenderBytes = s.getBytes(StandardCharsets.UTF_8);
      lastSender = s;
    }
    writeUtf8(lastSenderBytes);
  }

  /** Metadata names of the record being written (reused: one array per encoder). */
  String[] names = new String[16];

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

  /**
   * Fills in a count reserved as one byte at {@code at} once it is known; a count of 128 or more
   * needs more varint bytes, and what follows moves up to make room (rare: a message with that many
   * fields).
   */
  void patchVarint(int at, int v) {
    if ((v & ~0x7f) == 0) {
      buf[at] = (byte) v;
      return;
    }
    int extra = (32 - Integer.numberOfLeadingZeros(v) + 6) / 7 - 1;
    room(extra);
    System.arraycopy(buf, at + 1, buf, at + 1 + extra, size - at - 1);
    int end = size + extra;
    size = at;
    writeVarint(v);
    size = end;
  }

  byte[] toByteArray() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }
}
