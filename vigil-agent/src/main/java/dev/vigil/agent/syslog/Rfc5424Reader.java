package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.clip;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import dev.vigil.agent.syslog.SyslogMessage.SdElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * RFC 5424 after {@code PRI VERSION SP}: the five header fields, structured data, the message
 * (a BOM dropped). Appliances that put a BSD {@code tag[pid]: } in front of the message with a
 * NIL APP-NAME get it lifted into app and process id.
 */
final class Rfc5424Reader {
  SyslogMessage read(
      String s, int pos, int pri, Instant receivedAt, String sender, Map<String, String> fields,
      String whole) {
    String[] header = new String[5];
    int p = pos;
    for (int i = 0; i < 5; i++) {
      int sp = s.indexOf(' ', p);
      if (sp < 0) {
        return new SyslogMessage(
            Format.UNPARSED, pri >> 3, pri & 7, null, sender, "", "", "", List.of(),
            whole, fields, "RFC 5424 header ends early");
      }
      header[i] = s.substring(p, sp);
      p = sp + 1;
    }
    String error = null;
    Instant event = null;
    if (!header[0].equals("-")) {
      event = SyslogTimestamps.parseIso(header[0], null);
      if (event == null) {
        error = "unreadable timestamp '" + clip(header[0]) + "'";
        fields.put("event_time_text", clip(header[0]));
      }
    }
    String host = nil(header[1]);
    String app = nil(header[2]);
    String procId = nil(header[3]);
    String msgId = nil(header[4]);
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
    if (msg.startsWith("\uFEFF")) {
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
        Format.RFC5424, pri >> 3, pri & 7, event, host.isEmpty() ? sender : host, app, procId,
        msgId, sd, msg, fields, error);
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

  private static String nil(String s) {
    return "-".equals(s) ? "" : s;
  }
}
