package dev.vigil.agent.syslog;

/** Character tests and small text helpers the parser's steps share. */
final class SyslogText {
  private SyslogText() {}

  /** What {@code [A-Za-z0-9_.:-]{1,255}} matches: a host name as devices send it. */
  static boolean isHostname(String s) {
    if (s.isEmpty() || s.length() > 255) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean allDigits(String s, int from, int to) {
    if (to <= from) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
  static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
