package dev.vigil.time;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 48-byte NTP header (RFC 5905 section 7.3). Extension fields and MACs that may follow are
 * ignored on decode and never produced.
 *
 * <p>Timestamps are kept in raw NTP format so that the origin check compares exactly the bits that
 * were sent.
 */
public record NtpPacket(
    LeapIndicator leap,
    int version,
    NtpMode mode,
    int stratum,
    int poll,
    int precision,
    int rootDelay,
    int rootDispersion,
    int referenceId,
    long referenceTimestamp,
    long originTimestamp,
    long receiveTimestamp,
    long transmitTimestamp) {

  public static final int LENGTH = 48;

  public NtpPacket {
    if (leap == null || mode == null) {
      throw new IllegalArgumentException("leap and mode are required");
    }
    if (version < 0 || version > 7) {
      throw new IllegalArgumentException("version must fit in 3 bits: " + version);
    }
    if (stratum < 0 || stratum > 255) {
      throw new IllegalArgumentException("stratum must fit in 8 bits: " + stratum);
    }
  }

  /** A client request (mode 3, version 4) carrying the given transmit timestamp. */
  public static NtpPacket request(long transmitTimestamp) {
    return new NtpPacket(
        LeapIndicator.UNSYNCHRONISED,
        4,
        NtpMode.CLIENT,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        transmitTimestamp);
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put((byte) ((leap.bits() << 6) | (version << 3) | mode.ordinal()));
    b.put((byte) stratum);
    b.put((byte) poll);
    b.put((byte) precision);
    b.putInt(rootDelay);
    b.putInt(rootDispersion);
    b.putInt(referenceId);
    b.putLong(referenceTimestamp);
    b.putLong(originTimestamp);
    b.putLong(receiveTimestamp);
    b.putLong(transmitTimestamp);
    return b.array();
  }

  /**
   * Decodes the header at the start of {@code data}.
   *
   * @throws IllegalArgumentException if fewer than 48 bytes are given
   */
  public static NtpPacket decode(byte[] data, int offset, int length) {
    if (length < LENGTH) {
      throw new IllegalArgumentException(
          "NTP packet too short: " + length + " bytes, need " + LENGTH);
    }
    ByteBuffer b = ByteBuffer.wrap(data, offset, length);
    int first = b.get() & 0xFF;
    return new NtpPacket(
        LeapIndicator.of(first >>> 6),
        (first >>> 3) & 7,
        NtpMode.of(first),
        b.get() & 0xFF,
        b.get(),
        b.get(),
        b.getInt(),
        b.getInt(),
        b.getInt(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong());
  }

  public static NtpPacket decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /** A Kiss-o'-Death packet: stratum 0 with a four-letter ASCII code in the reference id. */
  public boolean isKissOfDeath() {
    return stratum == 0;
  }

  /** The reference id as four ASCII letters (KoD code, or refclock name at stratum 1). */
  public String referenceIdAscii() {
    byte[] bytes = ByteBuffer.allocate(4).putInt(referenceId).array();
    StringBuilder sb = new StringBuilder();
    for (byte x : bytes) {
      if (x == 0) {
        break;
      }
      sb.append(x >= 0x20 && x < 0x7F ? (char) x : '?');
    }
    return new String(sb.toString().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
  }

  /** The reference id as it is usually shown: ASCII below stratum 2, a dotted IPv4 otherwise. */
  public String referenceIdText() {
    if (stratum <= 1) {
      return referenceIdAscii();
    }
    return ((referenceId >>> 24) & 0xFF)
        + "."
        + ((referenceId >>> 16) & 0xFF)
        + "."
        + ((referenceId >>> 8) & 0xFF)
        + "."
        + (referenceId & 0xFF);
  }

  public static int asciiId(String code) {
    byte[] bytes = code.getBytes(StandardCharsets.US_ASCII);
    int id = 0;
    for (int i = 0; i < 4; i++) {
      id = (id << 8) | (i < bytes.length ? bytes[i] & 0xFF : 0);
    }
    return id;
  }
}
