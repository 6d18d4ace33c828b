package dev.vigil.power;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Wake-on-LAN magic packet: six 0xFF bytes, the target MAC sixteen times, and an optional 4- or
 * 6-byte SecureOn password.
 */
public final class MagicPacket {
  public static final int BASE_LENGTH = 6 + 16 * 6;

  private MagicPacket() {}

  public static byte[] build(byte[] mac, byte[] secureOn) {
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes");
    }
    int pw = secureOn == null ? 0 : secureOn.length;
    if (pw != 0 && pw != 4 && pw != 6) {
      throw new IllegalArgumentException("a SecureOn password has 4 or 6 bytes, got " + pw);
    }
    byte[] packet = new byte[BASE_LENGTH + pw];
    for (int i = 0; i < 6; i++) {
      packet[i] = (byte) 0xFF;
    }
    for (int r = 0; r < 16; r++) {
      System.arraycopy(mac, 0, packet, 6 + r * 6, 6);
    }
    if (pw > 0) {
      System.arraycopy(secureOn, 0, packet, BASE_LENGTH, pw);
    }
    return packet;
  }

  /** Parses aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff. */
  public static byte[] parseMac(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', ':');
    if (!t.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
      throw new IllegalArgumentException(
          "expected a MAC address such as aa:bb:cc:dd:ee:ff, got '" + text + "'");
    }
    return HexFormat.ofDelimiter(":").parseHex(t);
  }

  public static boolean looksLikeMac(String text) {
    return text != null && text.trim().matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}");
  }

  /**
   * A SecureOn password is written like a MAC (aa:bb:cc:dd[:ee:ff]) or as 4/6 ASCII characters. The
   * message never contains the value.
   */
  public static byte[] parseSecureOn(String text) {
    String t = text == null ? "" : text.strip();
    if (t.matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){3}|[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}")) {
      return HexFormat.ofDelimiter(":").parseHex(t.replace('-', ':').toLowerCase(Locale.ROOT));
    }
    byte[] ascii = t.getBytes(StandardCharsets.US_ASCII);
    if (ascii.length == 4 || ascii.length == 6) {
      return ascii;
    }
    throw new IllegalArgumentException(
        "a SecureOn password is 4 or 6 bytes (aa:bb:cc:dd, aa:bb:cc:dd:ee:ff, or 4/6 characters)");
  }

  /** Whether {@code packet} is a magic packet for {@code mac} (any password). */
  public static boolean matches(byte[] packet, byte[] mac) {
    if (packet.length < BASE_LENGTH) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      if (packet[i] != (byte) 0xFF) {
        return false;
      }
    }
    for (int r = 0; r < 16; r++) {
      for (int i = 0; i < 6; i++) {
        if (packet[6 + r * 6 + i] != mac[i]) {
          return false;
        }
      }
    }
    return true;
  }
}
