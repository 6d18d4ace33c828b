package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.isHostname;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bodies made of {@code key=value} pairs (FortiGate, Sophos, Ubiquiti and others): at least three
 * pairs from the body's start become {@code kv_*} fields. A message with no stamp in its header is
 * then a key=value message: host, app and event time come from its pairs.
 */
final class KeyValueDialect implements SyslogDialect {
  private static final Pattern KV =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_.\\-]{0,63})=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^\\s\"]*)");

  @Override
  public String name() {
    return "key-value";
  }

  @Override
  public boolean inMessage(BsdCursor c) {
    Map<String, String> kv = pairs(c.msg, c.fields);
    if (kv.isEmpty()) {
      return false;
    }
    c.keyValues = kv;
    if (c.stamp != null) {
      return true;
    }
    c.format = Format.KEY_VALUE;
    if (c.host.isEmpty()) {
      c.host = firstOf(kv, "devname", "hostname", "host", "device_name");
    }
    if (c.app.isEmpty()) {
      c.app = firstOf(kv, "type", "app", "program");
    }
    Instant kvTime = time(kv, c);
    if (kvTime != null) {
      c.event = kvTime;
    }
    return true;
  }

  /**
   * The pairs of a body that starts as key=value (at least three), also put into {@code fields} as
   * {@code kv_<key>}; empty otherwise. Prose with one '=' is not key=value.
   */
  static Map<String, String> pairs(String msg, Map<String, String> fields) {
    int sp = msg.indexOf(' ');
    // The first pair must start the body, and a key holds no space.
    int eq = sp < 0 ? msg.indexOf('=') : msg.lastIndexOf('=', sp);
    if (msg.isEmpty() || eq < 0) {
      return Map.of();
    }
    Map<String, String> kv = new LinkedHashMap<>();
    Matcher m = KV.matcher(msg);
    int expected = 0;
    while (m.find() && kv.size() < 128) {
      if (m.start() != expected) {
        break;
      }
      String value = m.group(3) != null ? unescape(m.group(3)) : m.group(2);
      kv.putIfAbsent(m.group(1), value);
      expected = m.end();
      while (expected < msg.length() && msg.charAt(expected) == ' ') {
        expected++;
      }
    }
    if (kv.size() >= 3) {
      kv.forEach((k, v) -> fields.putIfAbsent("kv_" + k, v));
      return kv;
    }
    return Map.of();
  }

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }

  private static String firstOf(Map<String, String> kv, String... keys) {
    for (String k : keys) {
      String v = kv.get(k);
      if (v != null && !v.isEmpty() && isHostname(v)) {
        return v;
      }
    }
    return "";
  }

  /** FortiOS's eventtime (s, ms, us or ns since the epoch), else date + time [+ tz]. */
  private static Instant time(Map<String, String> kv, BsdCursor c) {
    String eventtime = kv.get("eventtime");
    if (eventtime != null && eventtime.matches("\\d{10,19}")) {
      long v = Long.parseLong(eventtime);
      int digits = eventtime.length();
      if (digits <= 10) {
        return Instant.ofEpochSecond(v);
      } else if (digits <= 13) {
        return Instant.ofEpochMilli(v);
      } else if (digits <= 16) {
        return Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1000);
      }
      return Instant.ofEpochSecond(v / 1_000_000_000, v % 1_000_000_000);
    }
    String date = kv.get("date");
    String time = kv.get("time");
    if (date != null && time != null) {
      ZoneId zone = c.timestamps.zone(c.sender, c.host);
      String tz = kv.get("tz");
      if (tz != null) {
        ZoneId named = SyslogTimestamps.namedZone(tz);
        if (named != null) {
          zone = named;
        }
      }
      return SyslogTimestamps.parseIso(date + "T" + time, zone);
    }
    return null;
  }
}
