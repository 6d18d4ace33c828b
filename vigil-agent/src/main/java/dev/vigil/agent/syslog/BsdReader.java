package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.clip;
import static dev.vigil.agent.syslog.SyslogText.isHostname;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The RFC 3164 header step: timestamp, host name, then the body, with each device family's
 * additions read by its {@link SyslogDialect} at the step where it puts them. The generic parts
 * (where a host name goes, what an empty message is) live here; what varies by family lives in the
 * dialects.
 */
final class BsdReader {
  private final SyslogDialect[] dialects;
  private final SyslogTimestamps timestamps;
  private final boolean fastPaths;

  BsdReader(List<SyslogDialect> dialects, SyslogTimestamps timestamps, boolean fastPaths) {
    if (dialects.size() > 31) {
      throw new IllegalArgumentException("at most 31 dialects");
    }
    this.dialects = dialects.toArray(SyslogDialect[]::new);
    this.timestamps = timestamps;
    this.fastPaths = fastPaths;
  }

  /** Names of the dialects, in their order (bit i of {@link BsdCursor#dialectsUsed} is i). */
  String[] names() {
    String[] n = new String[dialects.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = dialects[i].name();
    }
    return n;
  }

  /** RFC 3164 and device formats, from {@code start} of {@code s} (the text after PRI). */
  SyslogMessage read(
      String s, int start, int pri, Instant receivedAt, String sender, Map<String, String> fields) {
    return message(cursor(s, start, receivedAt, sender, fields), pri);
  }

  BsdCursor cursor(
      String s, int start, Instant receivedAt, String sender, Map<String, String> fields) {
    BsdCursor c = new BsdCursor(s, start, receivedAt, sender, fields, timestamps, fastPaths);
    int len = s.length();
    for (int i = 0; i < dialects.length; i++) {
      if (dialects[i].beforeTimestamp(c)) {
        c.dialectsUsed |= 1 << i;
      }
    }
    int tsStart = c.pos;
    SyslogTimestamps.Stamp ts = null;
    for (int i = 0; i < dialects.length && ts == null; i++) {
      ts = dialects[i].timestamp(c);
      if (ts != null) {
        c.dialectsUsed |= 1 << i;
      }
    }
    if (ts != null) {
      c.stamp = ts;
      c.event = ts.instant();
      c.pos = ts.end();
      if (ts.error() != null) {
        c.error = ts.error();
        c.fields.put("event_time_text", clip(s.substring(tsStart, c.pos)));
      }
      if (c.at(':')) {
        c.pos++;
      }
      while (c.at(' ')) {
        c.pos++;
      }
      if (c.host.isEmpty() && c.pos < len && s.charAt(c.pos) != '%') {
        int sp = s.indexOf(' ', c.pos);
        String token = sp < 0 ? s.substring(c.pos) : s.substring(c.pos, sp);
        boolean tagLike = token.endsWith(":") || token.contains("[");
        if (!tagLike && sp > 0 && isHostname(token)) {
          c.host = token;
          c.pos = sp + 1;
        } else {
          for (int i = 0; i < dialects.length; i++) {
            if (dialects[i].hostname(c)) {
              c.dialectsUsed |= 1 << i;
              break;
            }
          }
        }
      }
    }
    for (int i = 0; i < dialects.length; i++) {
      if (dialects[i].afterHost(c)) {
        c.dialectsUsed |= 1 << i;
      }
    }
    c.rest = Math.min(c.pos, len);
    for (int i = 0; i < dialects.length; i++) {
      if (dialects[i].body(c)) {
        c.dialectsUsed |= 1 << i;
        break;
      }
    }
    c.message();
    for (int i = 0; i < dialects.length; i++) {
      if (dialects[i].inMessage(c)) {
        c.dialectsUsed |= 1 << i;
      }
    }
    if (c.stamp == null && c.format != Format.KEY_VALUE && c.rest >= len) {
      c.error = "empty message";
    }
    return c;
  }

  private static SyslogMessage message(BsdCursor c, int pri) {
    return new SyslogMessage(
        c.format,
        pri >> 3,
        pri & 7,
        c.event,
        c.host.isEmpty() ? c.sender : c.host,
        c.app,
        c.procId,
        "",
        List.of(),
        c.msg,
        c.fields,
        c.error);
  }
}
