package dev.vigil.spec.types;

import dev.vigil.spec.bind.Doc;
import java.util.regex.Pattern;

/** A literal IPv4 or IPv6 address. Host names are not accepted: nothing is resolved at load. */
@Doc("IP address literal (IPv4 dotted quad or IPv6).")
public record IpAddress(String text) {
  private static final Pattern V4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern V6 = Pattern.compile("^[0-9A-Fa-f:.]+$");

  public static IpAddress parse(String text) {
    String t = text == null ? "" : text.trim();
    boolean v4 = V4.matcher(t).matches();
    boolean v6 = t.contains(":") && V6.matcher(t).matches() && validV6(t);
    if (!v4 && !v6) {
      throw new IllegalArgumentException(
          "expected an IP address such as 192.168.4.63, got '" + text + "'");
    }
    return new IpAddress(t);
  }

  private static boolean validV6(String t) {
    int doubleColon = t.indexOf("::");
    if (doubleColon >= 0 && t.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] groups = t.split(":", -1);
    int count = 0;
    for (String g : groups) {
      if (g.length() > 4 && !g.contains(".")) {
        return false;
      }
      if (!g.isEmpty()) {
        count++;
      }
    }
    return doubleColon >= 0 ? count < 8 : count == 8;
  }

  public boolean isV4() {
    return !text.contains(":");
  }

  @Override
  public String toString() {
    return text;
  }
}
