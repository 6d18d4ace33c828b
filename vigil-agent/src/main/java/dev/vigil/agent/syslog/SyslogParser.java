package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.allDigits;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Parses RFC 5424, RFC 3164 and the variants network devices send. Never throws and never drops:
 * what it cannot read is kept whole with a parse error.
 *
 * <p>Framing first, then per version: the bytes are decoded (UTF-8, else Latin-1), PRI is read, and
 * {@code VERSION SP} after it sends the message to {@link Rfc5424Reader}; anything else goes to
 * {@link BsdReader}, whose header step asks each {@link SyslogDialect} (one per device family:
 * NX-OS, Cisco IOS, Cisco ASA, RFC 3164 itself, key=value) for its part.
 */
public final class SyslogParser {
  /** Without PRI, RFC 3164 section 4.3.3 says a relay assumes user.notice. */
  static final int DEFAULT_PRI = 13;

  /** The dialects in the order the header step asks them: the order decides ties. */
  static List<SyslogDialect> dialects() {
    return List.of(
        new NxOsDialect(),
        new CiscoIosDialect(),
        new CiscoAsaDialect(),
        new Rfc3164Dialect(),
        new KeyValueDialect());
  }

  private static final ThreadLocal<java.nio.charset.CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  private final Rfc5424Reader rfc5424;
  private final BsdReader bsd;

  /**
   * @param zoneForSource zone of timestamps without one, given (sender address, hostname as sent)
   */
  public SyslogParser(BiFunction<String, String, ZoneId> zoneForSource) {
    this(zoneForSource, true);
  }

  /**
   * {@code fastPaths} false: every shape through its regex (the reference the fast paths are tested
   * against).
   */
  SyslogParser(BiFunction<String, String, ZoneId> zoneForSource, boolean fastPaths) {
    this.bsd = new BsdReader(dialects(), new SyslogTimestamps(zoneForSource), fastPaths);
    this.rfc5424 = new Rfc5424Reader(fastPaths);
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
          Format.UNPARSED,
          1,
          5,
          null,
          sender,
          "",
          "",
          "",
          List.of(),
          text,
          fields,
          "internal parser error: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Names of the dialects that read part of this message (for the corpus tests: each dialect's
   * examples must be read by it); "rfc5424" for a message the RFC 5424 reader took, "framing" for
   * one no dialect read (a PRI error, a header alone, text without any).
   */
  List<String> dialectsReading(byte[] bytes, Instant receivedAt, String sender) {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = decode(bytes, fields);
    Header h = header(text, fields);
    if (h.error != null) {
      return List.of("framing");
    }
    if (h.rfc5424) {
      return List.of("rfc5424");
    }
    BsdCursor c = bsd.cursor(text, h.pos, receivedAt, sender, fields);
    String[] names = bsd.names();
    List<String> used = new java.util.ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if ((c.dialectsUsed & (1 << i)) != 0) {
        used.add(names[i]);
      }
    }
    return used.isEmpty() ? List.of("framing") : used;
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
      return UTF8.get().reset().decode(ByteBuffer.wrap(bytes, 0, end)).toString();
    } catch (CharacterCodingException e) {
      // Old devices send Latin-1; decoding as such keeps every byte readable.
      fields.put("charset", "latin1");
      return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
  }

  /** PRI and what follows it: where the rest starts, and whether it is RFC 5424. */
  private record Header(int pri, int pos, boolean rfc5424, String error) {}

  private static Header header(String text, Map<String, String> fields) {
    int pri = DEFAULT_PRI;
    int pos = 0;
    String error = null;
    if (!text.isEmpty() && text.charAt(0) == '<') {
      // PRI is 1 to 3 digits: the first '>', if it is further on, makes it malformed.
      int close = -1;
      for (int i = 1; i <= 4 && i < text.length(); i++) {
        if (text.charAt(i) == '>') {
          close = i;
          break;
        }
      }
      if (close >= 2 && allDigits(text, 1, close)) {
        int value = 0;
        for (int i = 1; i < close; i++) {
          value = value * 10 + (text.charAt(i) - '0');
        }
        if (value <= 191) {
          pri = value;
        } else {
          error = "PRI " + value + " out of range 0..191";
        }
        pos = close + 1;
      } else {
        error = "malformed PRI";
      }
    } else {
      fields.put("pri_missing", "true");
    }
    // RFC 5424: VERSION SP right after PRI.
    int sp = text.indexOf(' ', pos) - pos;
    boolean v5424 =
        error == null
            && sp >= 1
            && sp <= 2
            && allDigits(text, pos, pos + sp)
            && text.charAt(pos) != '0';
    return new Header(pri, v5424 ? pos + sp + 1 : pos, v5424, error);
  }

  private SyslogMessage parseText(
      String text, Instant receivedAt, String sender, Map<String, String> fields) {
    Header h = header(text, fields);
    if (h.rfc5424) {
      return rfc5424.read(text, h.pos, h.pri, receivedAt, sender, fields, text);
    }
    if (h.error != null) {
      return new SyslogMessage(
          Format.UNPARSED,
          h.pri >> 3,
          h.pri & 7,
          null,
          sender,
          "",
          "",
          "",
          List.of(),
          text,
          fields,
          h.error);
    }
    return bsd.read(text, h.pos, h.pri, receivedAt, sender, fields);
  }

  /** See {@link SyslogTimestamps#inferYear}. */
  static Instant inferYear(int month, int day, LocalTime time, ZoneId zone, Instant receivedAt) {
    return SyslogTimestamps.inferYear(month, day, time, zone, receivedAt);
  }

  /** A whole text as an RFC 3339 stamp, in {@code zone} (UTC if null) when it has none. */
  static Instant parseIso(String text, Instant receivedAt, ZoneId zone) {
    return SyslogTimestamps.parseIso(text, zone);
  }

  /** What devices send as a host name: 1 to 255 of {@code [A-Za-z0-9_.:-]}. */
  static boolean isHostname(String s) {
    return SyslogText.isHostname(s);
  }
}
