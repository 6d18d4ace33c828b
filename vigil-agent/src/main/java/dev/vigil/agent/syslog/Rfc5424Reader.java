package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.clip;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import dev.vigil.agent.syslog.SyslogMessage.SdElement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * RFC 5424 after {@code PRI VERSION SP}: the five header fields, structured data, the message (a
 * BOM dropped). Appliances that put a BSD {@code tag[pid]: } in front of the message with a NIL
 * APP-NAME get it lifted into app and process id.
 */
final class Rfc5424Reader {
  private final boolean fastPaths;

  Rfc5424Reader(boolean fastPaths) {
    this.fastPaths = fastPaths;
  }

  SyslogMessage read(
      String s,
      int pos,
      int pri,
      Instant receivedAt,
      String sender,
      Map<String, String> fields,
      String whole) {
    // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each ended by a space.
    int[] from = new int[5];
    int[] to = new int[5];
    int p = pos;
    for (int i = 0; i < 5; i++) {
      int sp = s.indexOf(' ', p);
      if (sp < 0) {
        return new SyslogMessage(
            Format.UNPARSED,
            pri >> 3,
            pri & 7,
            null,
            sender,
            "",
            "",
            "",
            List.of(),
            whole,
            fields,
            "RFC 5424 header ends early");
      }
      from[i] = p;
      to[i] = sp;
      p = sp + 1;
    }
    String error = null;
    Instant event = null;
    if (!isNil(s, from[0], to[0])) {
      event = fastPaths ? SyslogTimestamps.isoFast(s, from[0], to[0], ZoneOffset.UTC) : null;
      if (event == null) {
        String stamp = s.substring(from[0], to[0]);
        event = SyslogTimestamps.parseIso(stamp, null);
        if (event == null) {
          error = "unreadable timestamp '" + clip(stamp) + "'";
          fields.put("event_time_text", clip(stamp));
        }
      }
    }
    String host = field(s, from[1], to[1]);
    String app = field(s, from[2], to[2]);
    String procId = field(s, from[3], to[3]);
    String msgId = field(s, from[4], to[4]);
    List<SdElement> sd = new ArrayList<>();
    String msg;
    if (s.startsWith("-", p)) {
      p++;
      msg = p < s.length() ? s.substring(s.charAt(p) == ' ' ? p + 1 : p) : "";
    } else if (s.startsWith("[", p)) {
      int end = structuredData(s, p, sd);
      if (end < 0) {
        sd.clear();
        error = error == null ? "malformed structured data" : error;
        msg = s.substring(p);
      } else {
        msg = end < s.length() ? s.substring(s.charAt(end) == ' ' ? end + 1 : end) : "";
      }
    } else {
      // Some senders put the message right after MSGID with no SD field at all.
      error = error == null ? "missing structured data" : error;
      msg = s.substring(p);
    }
    if (!msg.isEmpty() && msg.charAt(0) == '\uFEFF') {
      msg = msg.substring(1);
    }
    if (app.isEmpty()) {
      Matcher tag = Rfc3164Dialect.TAG.matcher(msg);
      if (tag.find()) {
        app = tag.group(1);
        if (procId.isEmpty() && tag.group(2) != null) {
          procId = tag.group(2);
        }
        msg = msg.substring(tag.end());
      }
    }
    KeyValueDialect.pairs(msg, fields);
    return new SyslogMessage(
        Format.RFC5424,
        pri >> 3,
        pri & 7,
        event,
        host.isEmpty() ? sender : host,
        app,
        procId,
        msgId,
        sd,
        msg,
        fields,
        error);
  }

  /** Returns the index after the last SD element, or -1 when malformed. */
  private static int structuredData(String s, int p, List<SdElement> out) {
    int n = s.length();
    while (p < n && s.charAt(p) == '[') {
      int q = p + 1;
      while (q < n && isSdName(s.charAt(q))) {
        q++;
      }
      if (q == p + 1) {
        return -1;
      }
      String id = s.substring(p + 1, q);
      List<Map.Entry<String, String>> params = new ArrayList<>();
      while (q < n && s.charAt(q) == ' ') {
        q++;
        int nameStart = q;
        while (q < n && isSdName(s.charAt(q))) {
          q++;
        }
        if (q == nameStart || q + 1 >= n || s.charAt(q) != '=' || s.charAt(q + 1) != '"') {
          return -1;
        }
        String name = s.substring(nameStart, q);
        q += 2;
        StringBuilder value = new StringBuilder();
        while (true) {
          if (q >= n) {
            return -1;
          }
          char c = s.charAt(q);
          if (c == '\\' && q + 1 < n) {
            char next = s.charAt(q + 1);
            if (next == '"' || next == '\\' || next == ']') {
              value.append(next);
            } else {
              // RFC 5424 6.3.3: a backslash before any other char is kept as is.
              value.append(c).append(next);
            }
            q += 2;
          } else if (c == '"') {
            q++;
            break;
          } else {
            value.append(c);
            q++;
          }
        }
        params.add(Map.entry(name, value.toString()));
      }
      if (q >= n || s.charAt(q) != ']') {
        return -1;
      }
      out.add(new SdElement(id, params));
      p = q + 1;
    }
    return p;
  }

  private static boolean isSdName(char c) {
    return c > 32 && c < 127 && c != '=' && c != ' ' && c != ']' && c != '"';
  }

  private static boolean isNil(String s, int from, int to) {
    return to == from + 1 && s.charAt(from) == '-';
  }

  /** A header field; the NILVALUE is empty. */
  private static String field(String s, int from, int to) {
    return isNil(s, from, to) ? "" : s.substring(from, to);
  }
}
