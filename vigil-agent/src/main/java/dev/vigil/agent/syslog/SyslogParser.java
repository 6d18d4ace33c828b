package dev.vigil.agent.syslog;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import dev.vigil.agent.syslog.SyslogMessage.SdElement;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses RFC 5424, RFC 3164 and the variants network devices send (Cisco IOS/ASA, Juniper,
 * FortiGate key=value, pfSense). Never throws and never drops: what it cannot read is kept whole
 * with a parse error.
 */
public final class SyslogParser {
  /** Without PRI, RFC 3164 section 4.3.3 says a relay assumes user.notice. */
  static final int DEFAULT_PRI = 13;

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final Pattern SEQ = Pattern.compile("^(\\d{1,10}): ");
  private static final Pattern BSD_TS =
      Pattern.compile(
          "^([A-Z][a-z]{2}) {1,2}(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
              + "(?: (\\d{4})(?=[: ]|$))?(?: ([A-Z]{1,5}|[+-]\\d{2}:?\\d{2})(?=[: ]|$))?");
  /** NX-OS: "2026 Jan 12 09:50:00 UTC". */
  private static final Pattern NXOS_TS =
      Pattern.compile(
          "^(\\d{4}) ([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
              + "(?: ([A-Z]{1,5})(?=[: ]|$))?");
  private static final Pattern ISO_TS =
      Pattern.compile(
          "^(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?"
              + "(Z|[+-]\\d{2}:?\\d{2})?(?=[: ]|$)");
  private static final Pattern CISCO_MNEMONIC =
      Pattern.compile("^%([A-Z][A-Z0-9_]*)-(?:([A-Z0-9_]+)-)?([0-7])-([A-Z0-9_]+)(?::|\\s|$)");
  private static final Pattern TAG =
      Pattern.compile("^([A-Za-z0-9_./@()-]{1,64})(?:\\[([^\\]\\s]{0,64})\\])?:(?: |$)");
  private static final Pattern BARE_TAG = Pattern.compile("^([A-Za-z0-9_.-]{1,48}) ");
  private static final Pattern HOSTNAME = Pattern.compile("^[A-Za-z0-9_.:\\-]{1,255}$");
  private static final Pattern KV =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_.\\-]{0,63})=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^\\s\"]*)");

  private static final ThreadLocal<java.nio.charset.CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  private final BiFunction<String, String, ZoneId> zoneForSource;
  /** false: every pattern through its regex (the reference the fast paths are tested against). */
  private final boolean fastPaths;

  /**
   * @param zoneForSource zone of timestamps without one, given (sender address, hostname as sent)
   */
  public SyslogParser(BiFunction<String, String, ZoneId> zoneForSource) {
    this(zoneForSource, true);
  }

  SyslogParser(BiFunction<String, String, ZoneId> zoneForSource, boolean fastPaths) {
    this.zoneForSource = zoneForSource;
    this.fastPaths = fastPaths;
  }

  public SyslogParser() {
    this((a, h) -> ZoneOffset.UTC);
  }

  public SyslogMessage parse(RawMessage raw) {
    return parse(raw.bytes(), raw.receivedAt(), raw.senderAddress());
  }

  public SyslogMessage parse(byte[] bytes, Instant receivedAt, String sender) {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = decode(bytes, fields);
    try {
      return parseText(text, receivedAt, sender, fields);
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug must not lose the message: keep it whole and say why.
      return new SyslogMessage(
          Format.UNPARSED, 1, 5, null, sender, "", "", "", List.of(), text, fields,
          "internal parser error: " + e.getClass().getSimpleName());
    }
  }

  private static String decode(byte[] bytes, Map<String, String> fields) {
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == 0)) {
      end--;
    }
    boolean ascii = true;
    for (int i = 0; i < end; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Most syslog is ASCII; this skips the UTF-8 validation.
      return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
    try {
      return UTF8
          .get()
          .reset()
          .decode(ByteBuffer.wrap(bytes, 0, end))
          .toString();
    } catch (CharacterCodingException e) {
      // Old devices send Latin-1; decoding as such keeps every byte readable.
      fields.put("charset", "latin1");
      return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
  }

  private SyslogMessage parseText(
      String text, Instant receivedAt, String sender, Map<String, String> fields) {
    int pri = DEFAULT_PRI;
    int pos = 0;
    String error = null;
    if (text.startsWith("<")) {
      int close = text.indexOf('>');
      if (close >= 2 && close <= 4 && allDigits(text, 1, close)) {
        int value = Integer.parseInt(text.substring(1, close));
        if (value <= 191) {
          pri = value;
          pos = close + 1;
        } else {
          error = "PRI " + value + " out of range 0..191";
          pos = close + 1;
        }
      } else {
        error = "malformed PRI";
      }
    } else {
      fields.put("pri_missing", "true");
    }
    // RFC 5424: VERSION SP right after PRI. Both parsers read the text from pos (no copy).
    int sp = text.indexOf(' ', pos) - pos;
    if (error == null && sp >= 1 && sp <= 2 && allDigits(text, pos, pos + sp) && text.charAt(pos) != '0') {
      return parse5424(text, pos + sp + 1, pri, receivedAt, sender, fields, text);
    }
    if (error != null) {
      return new SyslogMessage(
          Format.UNPARSED, pri >> 3, pri & 7, null, sender, "", "", "", List.of(), text, fields,
          error);
    }
    return parseBsd(text, pos, pri, receivedAt, sender, fields);
  }

  // ---------------------------------------------------------------- RFC 5424

  private SyslogMessage parse5424(
      String s, int pos, int pri, Instant receivedAt, String sender, Map<String, String> fields,
      String whole) {
    String[] header = new String[5];
    int p = pos;
    for (int i = 0; i < 5; i++) {
      int sp = s.indexOf(' ', p);
      if (sp < 0) {
        String partial = i == 0 ? "" : s.substring(pos);
        return new SyslogMessage(
            Format.UNPARSED, pri >> 3, pri & 7, null, sender, "", "", "", List.of(),
            whole, fields, "RFC 5424 header ends early" + (partial.isEmpty() ? "" : ""));
      }
      header[i] = s.substring(p, sp);
      p = sp + 1;
    }
    String error = null;
    Instant event = null;
    if (!header[0].equals("-")) {
      event = parseIso(header[0], receivedAt, null);
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
      int end = parseSd(s, p, sd);
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
    // A 5424 header in front of a BSD-style "tag[pid]: body" (some appliances): lift the tag.
    if (app.isEmpty()) {
      Matcher tag = TAG.matcher(msg);
      if (tag.find()) {
        app = tag.group(1);
        if (procId.isEmpty() && tag.group(2) != null) {
          procId = tag.group(2);
        }
        msg = msg.substring(tag.end());
      }
    }
    addKeyValues(msg, fields);
    return new SyslogMessage(
        Format.RFC5424, pri >> 3, pri & 7, event, host.isEmpty() ? sender : host, app, procId,
        msgId, sd, msg, fields, error);
  }

  /** Returns the index after the last SD element, or -1 when malformed. */
  private static int parseSd(String s, int p, List<SdElement> out) {
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

  // ---------------------------------------------------------------- RFC 3164 and devices

  /** RFC 3164 and device formats, from {@code start} of {@code s} (the text after PRI). */
  private SyslogMessage parseBsd(
      String s, int start, int pri, Instant receivedAt, String sender, Map<String, String> fields) {
    int p = start;
    String host = "";
    if (s.startsWith(": ", start)) {
      // NX-OS sends an empty sequence field.
      p = start + 2;
    }
    Matcher seq =
        start >= s.length() || !isDigit(s.charAt(start)) ? null : SEQ.matcher(s).region(start, s.length());
    if (seq != null && seq.find()) {
      fields.put("sequence", seq.group(1));
      p = seq.end();
      // Cisco "logging origin-id": "<seq>: <host>: <timestamp>: ..."
      int colon = s.indexOf(": ", p);
      if (colon > p && colon - p <= 255) {
        String candidate = s.substring(p, colon);
        int after = colon + 2;
        if (isHostname(candidate)
            && !allDigits(candidate, 0, candidate.length())
            && after < s.length()
            && (looksLikeTimestamp(s, after) || s.startsWith("%", after))) {
          host = candidate;
          p = after;
        }
      }
    }
    if (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '.')) {
      if (looksLikeTimestamp(s, p + 1)) {
        // Cisco: '*' clock not synchronised, '.' synchronisation lost since the last set.
        fields.put("clock_state", s.charAt(p) == '*' ? "unsynchronized" : "sync-lost");
        p++;
      }
    }
    Instant event = null;
    String error = null;
    String zoneHost = host;
    int tsStart = p;
    TsResult ts = parseBsdTimestamp(s, p, receivedAt, sender, zoneHost);
    if (ts != null) {
      event = ts.instant;
      p = ts.end;
      if (ts.error != null) {
        error = ts.error;
        fields.put("event_time_text", clip(s.substring(tsStart, p)));
      }
      if (p < s.length() && s.charAt(p) == ':') {
        p++;
      }
      while (p < s.length() && s.charAt(p) == ' ') {
        p++;
      }
    }
    Format format = Format.RFC3164;
    if (ts != null && host.isEmpty() && p < s.length() && s.charAt(p) != '%') {
      int sp = s.indexOf(' ', p);
      String token = sp < 0 ? s.substring(p) : s.substring(p, sp);
      String next = sp < 0 ? "" : s.substring(sp + 1);
      boolean tagLike = token.endsWith(":") || token.contains("[");
      if (!tagLike && sp > 0 && isHostname(token)) {
        host = token;
        p = sp + 1;
      } else if (token.endsWith(":")
          && next.startsWith("%")
          && isHostname(token.substring(0, token.length() - 1))) {
        host = token.substring(0, token.length() - 1);
        p = sp + 1;
      }
    }
    // Cisco ASA with "logging device-id": "<host> : %ASA-...".
    if (!host.isEmpty() && s.startsWith(": %", p)) {
      p += 2;
    }
    // The message starts at rest; it is copied out once, after the tag.
    int rest = Math.min(p, s.length());
    String app = "";
    String procId = "";
    String msg = null;
    // Every pattern below is anchored at the start: cheap checks of the first characters spare
    // the regex engine on the common path without changing what matches.
    Matcher cisco = s.startsWith("%", rest) ? CISCO_MNEMONIC.matcher(s).region(rest, s.length()) : null;
    if (cisco != null && cisco.find()) {
      format = Format.CISCO;
      app = cisco.group(1);
      fields.put("cisco_facility", cisco.group(1));
      if (cisco.group(2) != null) {
        fields.put("cisco_subfacility", cisco.group(2));
      }
      fields.put("cisco_severity", cisco.group(3));
      fields.put("mnemonic", cisco.group(4));
    } else {
      Tag tag = tag(s, rest);
      Matcher bareTag = tag == null && ts != null ? BARE_TAG.matcher(s).region(rest, s.length()) : null;
      if (tag != null) {
        app = tag.app();
        procId = tag.procId();
        msg = s.substring(tag.end());
        Matcher inner = msg.startsWith("%") ? CISCO_MNEMONIC.matcher(msg) : null;
        if (inner != null && inner.find()) {
          format = Format.CISCO;
          fields.put("cisco_facility", inner.group(1));
          fields.put("cisco_severity", inner.group(3));
          fields.put("mnemonic", inner.group(4));
        }
      } else if (bareTag != null && bareTag.find()) {
        // RFC 3164 4.1.3: the TAG ends at the first non-alphanumeric character; relays such as
        // rsyslog's traditional forward format write it without a colon.
        app = bareTag.group(1);
        msg = s.substring(bareTag.end());
      }
    }
    if (msg == null) {
      msg = s.substring(rest);
    }
    Map<String, String> kv = addKeyValues(msg, fields);
    if (ts == null && kv.size() >= 3) {
      format = Format.KEY_VALUE;
      if (host.isEmpty()) {
        host = firstOf(kv, "devname", "hostname", "host", "device_name");
      }
      if (app.isEmpty()) {
        app = firstOf(kv, "type", "app", "program");
      }
      Instant kvTime = keyValueTime(kv, receivedAt, sender, host);
      if (kvTime != null) {
        event = kvTime;
      }
    }
    if (ts == null && format != Format.KEY_VALUE && rest >= s.length()) {
      error = "empty message";
    }
    return new SyslogMessage(
        format, pri >> 3, pri & 7, event, host.isEmpty() ? sender : host, app, procId, "",
        List.of(), msg, fields, error);
  }

  private record TsResult(Instant instant, int end, String error) {}

  private static boolean looksLikeTimestamp(String s, int p) {
    return BSD_TS.matcher(s).region(p, s.length()).lookingAt()
        || NXOS_TS.matcher(s).region(p, s.length()).lookingAt()
        || ISO_TS.matcher(s).region(p, s.length()).lookingAt();
  }

  private TsResult parseBsdTimestamp(
      String s, int p, Instant receivedAt, String sender, String host) {
    TsResult plain = fastPaths ? plainBsdTimestamp(s, p, receivedAt, sender, host) : null;
    if (plain != null) {
      return plain;
    }
    Matcher iso = ISO_TS.matcher(s).region(p, s.length());
    if (iso.lookingAt()) {
      Instant t = isoFromMatch(iso, zone(sender, host));
      return new TsResult(t, iso.end(), t == null ? "unreadable timestamp" : null);
    }
    Matcher nx = NXOS_TS.matcher(s).region(p, s.length());
    if (nx.lookingAt()) {
      int month = monthIndex(nx.group(2));
      if (month >= 0) {
        try {
          ZoneId zone = zone(sender, host);
          ZoneId named = nx.group(8) == null ? null : namedZone(nx.group(8));
          Instant t =
              LocalDateTime.of(
                      Integer.parseInt(nx.group(1)), month + 1, Integer.parseInt(nx.group(3)),
                      Integer.parseInt(nx.group(4)), Integer.parseInt(nx.group(5)),
                      Integer.parseInt(nx.group(6)), nx.group(7) == null ? 0 : nanos(nx.group(7)))
                  .atZone(named == null ? zone : named)
                  .toInstant();
          return new TsResult(t, nx.end(), null);
        } catch (DateTimeException | NumberFormatException e) {
          return new TsResult(null, nx.end(), "impossible date");
        }
      }
    }
    Matcher m = BSD_TS.matcher(s).region(p, s.length());
    if (!m.lookingAt()) {
      return null;
    }
    int month = monthIndex(m.group(1));
    if (month < 0) {
      return null;
    }
    try {
      int day = Integer.parseInt(m.group(2));
      LocalTime time =
          LocalTime.of(
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)),
              m.group(7) == null ? 0 : nanos(m.group(7)));
      String yearText = m.group(3) != null ? m.group(3) : m.group(8);
      ZoneId zone = zone(sender, host);
      String tz = m.group(9);
      if (tz != null) {
        ZoneId named = namedZone(tz);
        if (named != null) {
          zone = named;
        }
      }
      Instant t;
      if (yearText != null) {
        t = LocalDateTime.of(LocalDate.of(Integer.parseInt(yearText), month + 1, day), time)
            .atZone(zone)
            .toInstant();
      } else {
        t = inferYear(month + 1, day, time, zone, receivedAt);
      }
      return new TsResult(t, m.end(), t == null ? "impossible date" : null);
    } catch (DateTimeException | NumberFormatException e) {
      return new TsResult(null, m.end(), "impossible date");
    }
  }

  /**
   * RFC 3164 has no year: take the one that puts the event nearest the receive time, so a
   * December message received in early January lands in the old year and vice versa.
   */
  static Instant inferYear(int month, int day, LocalTime time, ZoneId zone, Instant receivedAt) {
    int year = receivedAt.atZone(zone).getYear();
    try {
      Instant sameYear = ZonedDateTime.of(LocalDate.of(year, month, day), time, zone).toInstant();
      // Within half a year of the receive time no other year can be nearer.
      if (Math.abs(sameYear.getEpochSecond() - receivedAt.getEpochSecond()) < 182L * 86_400) {
        return sameYear;
      }
    } catch (DateTimeException e) {
      // Feb 29 outside a leap year: try the other years.
    }
    Instant best = null;
    long bestDistance = Long.MAX_VALUE;
    for (int y = year - 1; y <= year + 1; y++) {
      try {
        Instant candidate = ZonedDateTime.of(LocalDate.of(y, month, day), time, zone).toInstant();
        long distance = Math.abs(candidate.getEpochSecond() - receivedAt.getEpochSecond());
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      } catch (DateTimeException e) {
        // Feb 29 outside a leap year: try the other years.
      }
    }
    return best;
  }

  private ZoneId zone(String sender, String host) {
    try {
      ZoneId z = zoneForSource.apply(sender, host);
      return z == null ? ZoneOffset.UTC : z;
    } catch (RuntimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private static ZoneId namedZone(String tz) {
    if (tz.startsWith("+") || tz.startsWith("-")) {
      try {
        return ZoneOffset.of(tz.length() == 5 ? tz.substring(0, 3) + ":" + tz.substring(3) : tz);
      } catch (DateTimeException e) {
        return null;
      }
    }
    switch (tz) {
      case "UTC":
      case "GMT":
      case "Z":
      case "UT":
        return ZoneOffset.UTC;
      default:
        String id = ZoneId.SHORT_IDS.get(tz);
        try {
          return id == null ? null : ZoneId.of(id);
        } catch (DateTimeException e) {
          return null;
        }
    }
  }

  static Instant parseIso(String text, Instant receivedAt, ZoneId zone) {
    Matcher m = ISO_TS.matcher(text);
    if (!m.matches()) {
      return null;
    }
    return isoFromMatch(m, zone == null ? ZoneOffset.UTC : zone);
  }

  private static Instant isoFromMatch(Matcher m, ZoneId defaultZone) {
    try {
      LocalDateTime ldt =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              // RFC 5424 allows a leap second "60"; clamp rather than reject.
              Math.min(59, Integer.parseInt(m.group(6))),
              m.group(7) == null ? 0 : nanos(m.group(7)));
      String off = m.group(8);
      ZoneId zone = off == null ? defaultZone : namedZone(off);
      return ldt.atZone(zone == null ? defaultZone : zone).toInstant();
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  private static int nanos(String fraction) {
    String f = (fraction + "000000000").substring(0, 9);
    return Integer.parseInt(f);
  }

  private Instant keyValueTime(Map<String, String> kv, Instant receivedAt, String sender, String host) {
    String eventtime = kv.get("eventtime");
    if (eventtime != null && eventtime.matches("\\d{10,19}")) {
      // FortiOS: epoch in seconds, ms, us or ns depending on version.
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
      ZoneId zone = zone(sender, host);
      String tz = kv.get("tz");
      if (tz != null) {
        ZoneId named = namedZone(tz);
        if (named != null) {
          zone = named;
        }
      }
      Matcher m = ISO_TS.matcher(date + "T" + time);
      if (m.matches()) {
        return isoFromMatch(m, zone);
      }
    }
    return null;
  }

  private static Map<String, String> addKeyValues(String msg, Map<String, String> fields) {
    Map<String, String> kv = new LinkedHashMap<>();
    // Only bodies that start as key=value are treated as such; prose with one '=' is not.
    int eq = msg.indexOf('=');
    int sp = msg.indexOf(' ');
    // The first pair must start the body, and a key holds no space.
    if (msg.isEmpty() || eq < 0 || (sp >= 0 && sp < eq)) {
      return kv;
    }
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

  /** A TAG as {@link #TAG} matches it: name, process id ("" without brackets), end. */
  private record Tag(String app, String procId, int end) {}

  /**
   * {@link #TAG} at {@code start} of {@code s} (its end is an index of {@code s}). The common shapes ({@code app:} and {@code
   * app[pid]:}, then a space or the end) are scanned by hand; anything else is left to the
   * regex, so the result is always the regex's.
   */
  private Tag tag(String s, int start) {
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
        if (j < len && j - n - 1 <= 64 && s.charAt(j) == ']' && j + 1 < len && s.charAt(j + 1) == ':') {
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
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '.' || c == '/' || c == '@' || c == '(' || c == ')' || c == '-';
  }

  /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** What {@link #HOSTNAME} matches: 1 to 255 of {@code [A-Za-z0-9_.:-]}. */
  static boolean isHostname(String s) {
    if (s.isEmpty() || s.length() > 255) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The classic RFC 3164 stamp {@code Mmm dd hh:mm:ss} (day space-padded or not) followed by
   * nothing {@link #BSD_TS} would also take (fraction, year, zone); null for anything else, which
   * the regexes then read. Same result as the regex path, without its cost.
   */
  private TsResult plainBsdTimestamp(
      String s, int p, Instant receivedAt, String sender, String host) {
    int len = s.length();
    if (p + 15 > len) {
      return null;
    }
    char m0 = s.charAt(p);
    if (m0 < 'A' || m0 > 'Z' || s.charAt(p + 3) != ' ') {
      return null;
    }
    int month = monthIndex(s, p);
    if (month < 0) {
      return null;
    }
    int q = p + 4;
    int day;
    if (s.charAt(q) == ' ' && isDigit(s.charAt(q + 1)) && s.charAt(q + 2) == ' ') {
      day = s.charAt(q + 1) - '0';
      q += 3;
    } else if (isDigit(s.charAt(q)) && s.charAt(q + 1) == ' ') {
      day = s.charAt(q) - '0';
      q += 2;
    } else if (isDigit(s.charAt(q)) && isDigit(s.charAt(q + 1)) && s.charAt(q + 2) == ' ') {
      day = (s.charAt(q) - '0') * 10 + (s.charAt(q + 1) - '0');
      q += 3;
    } else {
      return null;
    }
    if (q + 8 > len
        || !isDigit(s.charAt(q)) || !isDigit(s.charAt(q + 1)) || s.charAt(q + 2) != ':'
        || !isDigit(s.charAt(q + 3)) || !isDigit(s.charAt(q + 4)) || s.charAt(q + 5) != ':'
        || !isDigit(s.charAt(q + 6)) || !isDigit(s.charAt(q + 7))) {
      return null;
    }
    int end = q + 8;
    if (end < len) {
      char c = s.charAt(end);
      if (c == '.') {
        return null;
      }
      if (c == ' ' && end + 1 < len) {
        char n = s.charAt(end + 1);
        if (isDigit(n) || n == '+' || n == '-' || (n >= 'A' && n <= 'Z')) {
          return null;
        }
      }
    }
    int hour = (s.charAt(q) - '0') * 10 + (s.charAt(q + 1) - '0');
    int minute = (s.charAt(q + 3) - '0') * 10 + (s.charAt(q + 4) - '0');
    int second = (s.charAt(q + 6) - '0') * 10 + (s.charAt(q + 7) - '0');
    ZoneId zone = zone(sender, host);
    int secondOfDay = hour * 3600 + minute * 60 + second;
    long receivedSecond = receivedAt.getEpochSecond();
    LastStamp last = lastStamp;
    if (last != null
        && last.secondOfDay == secondOfDay
        && last.day == day
        && last.month == month
        && last.receivedSecond == receivedSecond
        && last.zone.equals(zone)) {
      return new TsResult(last.instant, end, last.instant == null ? "impossible date" : null);
    }
    Instant t;
    try {
      t = inferYear(month + 1, day, LocalTime.of(hour, minute, second), zone, receivedAt);
    } catch (DateTimeException e) {
      t = null;
    }
    lastStamp = new LastStamp(month, day, secondOfDay, zone, receivedSecond, t);
    return new TsResult(t, end, t == null ? "impossible date" : null);
  }

  /**
   * The previous plain stamp's result: a stream repeats the same stamp for every message of a
   * second, and messages of one network read share a receive time. Immutable, so a racy
   * read by another listener thread sees a whole entry or none.
   */
  private record LastStamp(
      int month, int day, int secondOfDay, ZoneId zone, long receivedSecond, Instant instant) {}

  private volatile LastStamp lastStamp;

  private static int monthIndex(String s, int p) {
    for (int i = 0; i < MONTHS.length; i++) {
      if (s.startsWith(MONTHS[i], p)) {
        return i;
      }
    }
    return -1;
  }

  private static int monthIndex(String m) {
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equals(m)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean allDigits(String s, int from, int to) {
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

  private static String nil(String s) {
    return "-".equals(s) ? "" : s;
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
