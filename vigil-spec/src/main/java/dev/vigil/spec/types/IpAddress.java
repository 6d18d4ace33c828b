package dev.vigil.spec.types;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A literal IPv4 or IPv6 address, parsed here, strictly, and never through a name lookup: host
 * names, zone ids, brackets, octal or short IPv4 forms ({@code 010.0.0.1}, {@code 10.1}) and
 * malformed IPv6 ({@code ::1.2.3}, {@code 1::2::3}) are refused when the spec is loaded, not when
 * something later tries to use the address. {@link #text()} is the address as written; {@link
 * #canonical()} is one spelling per address, for comparing.
 */
@Doc("IP address literal (IPv4 dotted quad or IPv6).")
public record IpAddress(String text) {
  /** The longest literal: eight groups of four hex digits with the last two as a dotted quad. */
  private static final int MAX_LENGTH = 45;

  public IpAddress {
    if (text == null || bytesOf(text) == null) {
      throw new IllegalArgumentException(
          "expected an IP address such as 192.168.4.63, got "
              + (text == null ? "nothing" : Excerpts.quoted(text)));
    }
  }

  public static IpAddress parse(String text) {
    return new IpAddress(text == null ? null : text.trim());
  }

  /** True if written as an IPv4 address. */
  public boolean isV4() {
    return !text.contains(":");
  }

  /** The address: 4 bytes when written as IPv4, 16 when written as IPv6. */
  public byte[] bytes() {
    return bytesOf(text);
  }

  /** The address as a socket would take it, made from the bytes; nothing is looked up. */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(bytes());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /**
   * One spelling per address: IPv4 in dotted decimal; an IPv4-mapped IPv6 address ({@code
   * ::ffff:10.0.0.1}) as the IPv4 address it carries, since a socket reaches the same host; any
   * other IPv6 address in the RFC 5952 form (lower case, no leading zeros, the longest run of two
   * or more zero groups as {@code ::}).
   */
  public String canonical() {
    byte[] b = bytes();
    if (b.length == 4) {
      return dotted(b, 0);
    }
    boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    for (int i = 0; i < 10 && mapped; i++) {
      mapped = b[i] == 0;
    }
    if (mapped) {
      return dotted(b, 12);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  private static String dotted(byte[] b, int from) {
    return (b[from] & 0xff)
        + "."
        + (b[from + 1] & 0xff)
        + "."
        + (b[from + 2] & 0xff)
        + "."
        + (b[from + 3] & 0xff);
  }

  /** The bytes of a literal, or null when it is not one. */
  private static byte[] bytesOf(String t) {
    if (t.isEmpty() || t.length() > MAX_LENGTH) {
      return null;
    }
    if (t.indexOf(':') < 0) {
      byte[] out = new byte[4];
      return parseV4(t, out, 0) ? out : null;
    }
    return parseV6(t);
  }

  /** Four decimal parts 0-255 without leading zeros (which some parsers read as octal). */
  private static boolean parseV4(String t, byte[] out, int at) {
    String[] parts = t.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return false;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return false;
      }
      out[at + i] = (byte) v;
    }
    return true;
  }

  /**
   * RFC 4291 text forms: eight groups of one to four hex digits; at most one {@code ::} standing
   * for one or more zero groups; the last 32 bits optionally as a dotted quad.
   */
  private static byte[] parseV6(String t) {
    int gap = t.indexOf("::");
    if (gap >= 0 && t.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap >= 0 ? t.substring(0, gap) : t;
    String tail = gap >= 0 ? t.substring(gap + 2) : "";
    int[] headGroups = groups(head, gap < 0);
    int[] tailGroups = groups(tail, true);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int count = headGroups.length + tailGroups.length;
    if (gap >= 0 ? count > 7 : count != 8) {
      return null;
    }
    byte[] out = new byte[16];
    int g = 0;
    for (int v : headGroups) {
      out[2 * g] = (byte) (v >> 8);
      out[2 * g + 1] = (byte) v;
      g++;
    }
    g = 8 - tailGroups.length;
    for (int v : tailGroups) {
      out[2 * g] = (byte) (v >> 8);
      out[2 * g + 1] = (byte) v;
      g++;
    }
    return out;
  }

  /**
   * The 16-bit groups of a colon-separated run; a dotted quad is allowed last when it ends the
   * address.
   */
  private static int[] groups(String run, boolean endsAddress) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    boolean quad = endsAddress && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (quad ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (quad && i == parts.length - 1) {
        byte[] v4 = new byte[4];
        if (!parseV4(p, v4, 0)) {
          return null;
        }
        out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        break;
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
      out[i] = v;
    }
    return out;
  }

  /** ASCII hex digits only: {@link Character#digit} would take other scripts' digits too. */
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
