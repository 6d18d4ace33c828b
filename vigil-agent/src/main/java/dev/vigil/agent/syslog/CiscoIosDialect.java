package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.allDigits;
import static dev.vigil.agent.syslog.SyslogText.isDigit;
import static dev.vigil.agent.syslog.SyslogText.isHostname;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cisco IOS (and the IOS-style mnemonics of other Cisco families): a sequence number ({@code "123:
 * "}), the origin-id host ({@code "123: host: "}), the clock mark before the stamp ({@code *} never
 * synchronised, {@code .} synchronisation lost), {@code "host: %"} after the stamp, and the message
 * mnemonic {@code %FACILITY[-SUBFACILITY]-SEVERITY-MNEMONIC}, at the body's start or after a TAG.
 */
final class CiscoIosDialect implements SyslogDialect {
  private static final Pattern SEQ = Pattern.compile("^(\\d{1,10}): ");
  static final Pattern MNEMONIC =
      Pattern.compile("^%([A-Z][A-Z0-9_]*)-(?:([A-Z0-9_]+)-)?([0-7])-([A-Z0-9_]+)(?::|\\s|$)");

  @Override
  public String name() {
    return "cisco-ios";
  }

  @Override
  public boolean beforeTimestamp(BsdCursor c) {
    String s = c.s;
    int start = c.start;
    boolean read = false;
    Matcher seq =
        start >= s.length() || !isDigit(s.charAt(start))
            ? null
            : SEQ.matcher(s).region(start, s.length());
    if (seq != null && seq.find()) {
      read = true;
      c.fields.put("sequence", seq.group(1));
      int p = seq.end();
      c.pos = p;
      // "logging origin-id": "<seq>: <host>: <timestamp>: ..."
      int colon = s.indexOf(": ", p);
      if (colon > p && colon - p <= 255) {
        String candidate = s.substring(p, colon);
        int after = colon + 2;
        if (isHostname(candidate)
            && !allDigits(candidate, 0, candidate.length())
            && after < s.length()
            && (SyslogTimestamps.looksLikeTimestamp(s, after) || s.startsWith("%", after))) {
          c.host = candidate;
          c.pos = after;
        }
      }
    }
    if (c.pos < s.length()
        && (s.charAt(c.pos) == '*' || s.charAt(c.pos) == '.')
        && SyslogTimestamps.looksLikeTimestamp(s, c.pos + 1)) {
      c.fields.put("clock_state", s.charAt(c.pos) == '*' ? "unsynchronized" : "sync-lost");
      c.pos++;
      read = true;
    }
    return read;
  }

  /** {@code "host: %MNEMONIC"} after the stamp: the host name is the token before the colon. */
  @Override
  public boolean hostname(BsdCursor c) {
    String s = c.s;
    int sp = s.indexOf(' ', c.pos);
    if (sp < 0) {
      return false;
    }
    String token = s.substring(c.pos, sp);
    if (token.endsWith(":")
        && s.startsWith("%", sp + 1)
        && isHostname(token.substring(0, token.length() - 1))) {
      c.host = token.substring(0, token.length() - 1);
      c.pos = sp + 1;
      return true;
    }
    return false;
  }

  /** The mnemonic at the body's start: it names the app (the facility). */
  @Override
  public boolean body(BsdCursor c) {
    if (!c.s.startsWith("%", c.rest)) {
      return false;
    }
    Matcher m = MNEMONIC.matcher(c.s).region(c.rest, c.s.length());
    if (!m.find()) {
      return false;
    }
    c.format = Format.CISCO;
    c.app = m.group(1);
    c.fields.put("cisco_facility", m.group(1));
    if (m.group(2) != null) {
      c.fields.put("cisco_subfacility", m.group(2));
    }
    c.fields.put("cisco_severity", m.group(3));
    c.fields.put("mnemonic", m.group(4));
    return true;
  }

  /** The mnemonic after a TAG ("%LINK-3-UPDOWN" behind "app: "): the TAG stays the app. */
  @Override
  public boolean inMessage(BsdCursor c) {
    if (!c.tagged || !c.msg.startsWith("%")) {
      return false;
    }
    Matcher m = MNEMONIC.matcher(c.msg);
    if (!m.find()) {
      return false;
    }
    c.format = Format.CISCO;
    c.fields.put("cisco_facility", m.group(1));
    c.fields.put("cisco_severity", m.group(3));
    c.fields.put("mnemonic", m.group(4));
    return true;
  }
}
