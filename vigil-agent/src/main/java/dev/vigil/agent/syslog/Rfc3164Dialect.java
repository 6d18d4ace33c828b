package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.isRegexSpace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3164 as servers and relays write it: the {@code Mmm dd hh:mm:ss} stamp (with the year,
 * fraction or zone some add) or an RFC 3339 stamp (rsyslog's high-precision format), and the TAG
 * ({@code app:} or {@code app[pid]:}; without the colon as RFC 3164 4.1.3 allows).
 */
final class Rfc3164Dialect implements SyslogDialect {
  static final Pattern TAG =
      Pattern.compile("^([A-Za-z0-9_./@()-]{1,64})(?:\\[([^\\]\\s]{0,64})\\])?:(?: |$)");
  private static final Pattern BARE_TAG = Pattern.compile("^([A-Za-z0-9_.-]{1,48}) ");

  @Override
  public String name() {
    return "rfc3164";
  }

  @Override
  public SyslogTimestamps.Stamp timestamp(BsdCursor c) {
    SyslogTimestamps t = c.timestamps;
    SyslogTimestamps.Stamp plain =
        c.fastPaths ? t.plainBsd(c.s, c.pos, c.receivedAt, c.sender, c.host) : null;
    if (plain != null) {
      return plain;
    }
    SyslogTimestamps.Stamp iso = t.iso(c.s, c.pos, c.sender, c.host);
    return iso != null ? iso : t.bsd(c.s, c.pos, c.receivedAt, c.sender, c.host);
  }

  @Override
  public boolean body(BsdCursor c) {
    Tag tag = tag(c.s, c.rest, c.fastPaths);
    if (tag != null) {
      c.app = tag.app();
      c.procId = tag.procId();
      c.msg = c.s.substring(tag.end());
      c.tagged = true;
      return true;
    }
    if (c.stamp == null) {
      return false;
    }
    // RFC 3164 4.1.3: the TAG ends at the first non-alphanumeric character; relays such as
    // rsyslog's traditional forward format write it without a colon.
    Matcher bare = BARE_TAG.matcher(c.s).region(c.rest, c.s.length());
    if (bare.find()) {
      c.app = bare.group(1);
      c.msg = c.s.substring(bare.end());
      return true;
    }
    return false;
  }

  /** A TAG as {@link #TAG} matches it: name, process id ("" without brackets), end. */
  record Tag(String app, String procId, int end) {}

  /**
   * {@link #TAG} at {@code start} of {@code s} (its end is an index of {@code s}). The common
   * shapes ({@code app:} and {@code app[pid]:}, then a space or the end) are scanned by hand when
   * {@code fastPaths}; anything else is left to the regex, so the result is always the regex's.
   */
  static Tag tag(String s, int start, boolean fastPaths) {
    int len = s.length();
    int n = fastPaths ? start : len + 65;
    while (n < len && isTagChar(s.charAt(n)) && n - start <= 64) {
      n++;
    }
    if (n - start >= 1 && n - start <= 64 && n < len) {
      int colon = -1;
      String procId = "";
      if (s.charAt(n) == ':') {
        colon = n;
      } else if (s.charAt(n) == '[') {
        int j = n + 1;
        while (j < len && j - n - 1 <= 64 && s.charAt(j) != ']' && !isRegexSpace(s.charAt(j))) {
          j++;
        }
        if (j < len
            && j - n - 1 <= 64
            && s.charAt(j) == ']'
            && j + 1 < len
            && s.charAt(j + 1) == ':') {
          colon = j + 1;
          procId = s.substring(n + 1, j);
        }
      }
      if (colon > 0) {
        if (colon + 1 == len) {
          return new Tag(s.substring(start, n), procId, colon + 1);
        }
        if (s.charAt(colon + 1) == ' ') {
          return new Tag(s.substring(start, n), procId, colon + 2);
        }
      }
    }
    Matcher m = TAG.matcher(s).region(start, len);
    if (!m.find()) {
      return null;
    }
    return new Tag(m.group(1), m.group(2) == null ? "" : m.group(2), m.end());
  }

  private static boolean isTagChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '/'
        || c == '@'
        || c == '('
        || c == ')'
        || c == '-';
  }
}
