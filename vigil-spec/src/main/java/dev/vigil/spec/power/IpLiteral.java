package dev.vigil.spec.power;

import dev.vigil.spec.bind.Validated;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * IP address literals, parsed without the resolver: an IPv4 dotted quad (decimal, no leading zeros)
 * or an IPv6 address in the text forms of RFC 4291 section 2.2, without brackets or zone.
 *
 * <p>{@link InetAddress#getByName} falls back to a DNS lookup for anything it does not recognise as
 * a literal, so a typo such as {@code 999.1.1.1} would become a lookup at start. Addresses in the
 * spec go through this parser instead, at load, and the runtime builds its {@link InetAddress}es
 * from the parsed bytes.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** The address's 4 (IPv4) or 16 (IPv6) bytes. */
  public static byte[] parse(String text) {
    byte[] b = text == null ? null : text.indexOf(':') >= 0 ? v6(text) : v4(text);
    if (b == null) {
      throw new IllegalArgumentException(
          "expected an IP address literal such as 192.168.4.61 or fd00::61 (host names are not"
              + " resolved), got '"
              + text
              + "'");
    }
    return b;
  }

  /**
   * Reports {@code value} at {@code field} unless it is an IP literal; null is left to the caller.
   */
  static void check(Validated.Checks c, String field, String value) {
    if (value == null) {
      return;
    }
    try {
      parse(value);
    } catch (IllegalArgumentException e) {
      c.error(field, e.getMessage());
    }
  }

  /** The address as an {@link InetAddress}; never consults the resolver. */
  public static InetAddress toInetAddress(String text) {
    try {
      return InetAddress.getByAddress(parse(text));
    } catch (UnknownHostException e) {
      // getByAddress only throws for a byte array of the wrong length, which parse never returns.
      throw new IllegalStateException(e);
    }
  }

  private static byte[] v4(String t) {
    String[] parts = t.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = octet(parts[i]);
      if (v < 0) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** A decimal 0-255 without leading zeros (which some parsers read as octal), or -1. */
  private static int octet(String s) {
    if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= 255 ? v : -1;
  }

  private static byte[] v6(String t) {
    int gap = t.indexOf("::");
    if (gap >= 0 && t.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> head;
    List<Integer> tail;
    if (gap < 0) {
      head = groups(t, true);
      tail = List.of();
      if (head == null || head.size() != 8) {
        return null;
      }
    } else {
      head = groups(t.substring(0, gap), false);
      tail = groups(t.substring(gap + 2), true);
      // "::" stands for at least one group of zeros.
      if (head == null || tail == null || head.size() + tail.size() > 7) {
        return null;
      }
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      put(out, i, head.get(i));
    }
    for (int i = 0; i < tail.size(); i++) {
      put(out, 8 - tail.size() + i, tail.get(i));
    }
    return out;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >>> 8);
    out[2 * group + 1] = (byte) value;
  }

  /**
   * 16-bit groups separated by single colons; an IPv4 dotted quad may end the address (two groups).
   * Null when malformed.
   */
  private static List<Integer> groups(String s, boolean mayEndWithV4) {
    List<Integer> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    String[] parts = s.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.indexOf('.') >= 0) {
        byte[] v4 = i == parts.length - 1 && mayEndWithV4 ? v4(p) : null;
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
        out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = hexDigit(p.charAt(k));
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out.add(v);
    }
    return out;
  }

  /** ASCII hex digits only: Character.digit would also take other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
