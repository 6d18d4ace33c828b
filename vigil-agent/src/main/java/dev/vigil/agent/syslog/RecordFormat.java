package dev.vigil.agent.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal record of one {@link LokiEntry}, in the compact layout the receive path writes:
 *
 * <pre>
 * byte    2 (layout version)
 * long    epoch second, int nano          (big-endian)
 * varint  label count, then name and value of each
 * text    line
 * varint  metadata count, then name and value of each
 * </pre>
 *
 * A text is a varint tag: {@code 2k} is entry k of {@link #WORDS} (names and values every record
 * repeats), {@code 2n+1} is n bytes of UTF-8 that follow, and word 0 is an instant (epoch second
 * and nano, 12 bytes) that reads back as its ISO-8601 text. Half the bytes of the first layout for
 * a typical message: the journal holds twice the outage for the same disk, and the receive path
 * writes half as much.
 *
 * <p>Records of the first layout (no version byte: they begin with the high byte of the epoch
 * second, 0 until the year 2^56 s) still decode, so a journal written before the change replays.
 */
final class RecordFormat {
  static final byte VERSION = 2;
  static final int INSTANT = 0;

  /**
   * Append only: a word's index is on disk in every journal record that used it. Index 0 is the
   * instant marker, never a text.
   */
  static final String[] WORDS = {
    "\0instant",
    // Label names (the dynamic ones; static label names are written as literals).
    "host",
    "app",
    "severity",
    "facility",
    "listener",
    // Metadata names.
    "sender",
    "received_at",
    "format",
    "procid",
    "msgid",
    "event_time",
    "timestamp_fallback",
    "parse_error",
    "truncated",
    // Severity names.
    "emerg",
    "alert",
    "crit",
    "err",
    "warning",
    "notice",
    "info",
    "debug",
    // Facility names.
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
    // Listeners, formats, fallback reasons and other fixed values.
    "udp",
    "tcp",
    "tls",
    "rfc5424",
    "rfc3164",
    "cisco",
    "key_value",
    "unparsed",
    "no-event-time",
    "too-old",
    "in-future",
    "true",
    "unknown",
    "",
  };

  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 1; i < WORDS.length; i++) {
      INDEX.putIfAbsent(WORDS[i], i);
    }
  }

  private RecordFormat() {}

  /** Index of {@code s} in {@link #WORDS}, or -1. */
  static int word(String s) {
    Integer i = INDEX.get(s);
    return i == null ? -1 : i;
  }

  private record Known(String text, int word) {}

  /** {@link #word} of strings seen before, by identity: literals and table entries recur. */
  private static final Known[] KNOWN = new Known[512];

  /**
   * {@link #word} for a string that recurs as the same instance (a literal, a table entry, a cached
   * name): after the first time it costs an identity hash, not a hash of its chars. Any other
   * string gets the right answer too, only without the gain.
   */
  static int constantWord(String s) {
    int slot = System.identityHashCode(s) & (KNOWN.length - 1);
    Known k = KNOWN[slot];
    if (k != null && k.text == s) {
      return k.word;
    }
    int w = word(s);
    KNOWN[slot] = new Known(s, w);
    return w;
  }

  /** {@code entry} as a record, every text that is a word written as one. */
  static byte[] encode(LokiEntry entry) {
    RecordEncoder out =
        new RecordEncoder(
            64
                + 2 * entry.line().length()
                + 24 * (entry.labels().size() + entry.metadata().size()));
    out.writeByte(VERSION);
    out.writeLong(entry.timestamp().getEpochSecond());
    out.writeInt(entry.timestamp().getNano());
    writeMap(out, entry.labels());
    out.writeText(entry.line());
    writeMap(out, entry.metadata());
    return out.toByteArray();
  }

  private static void writeMap(RecordEncoder out, Map<String, String> map) {
    out.writeVarint(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeTextOrWord(out, e.getKey());
      writeTextOrWord(out, e.getValue());
    }
  }

  private static void writeTextOrWord(RecordEncoder out, String s) {
    int w = word(s);
    if (w > 0) {
      out.writeWord(w);
    } else {
      out.writeText(s);
    }
  }

  static LokiEntry decode(byte[] data) throws IOException {
    Reader in = new Reader(data);
    if (data.length > 0 && data[0] == VERSION) {
      in.at = 1;
      Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
      Map<String, String> labels = in.readTexts(new TreeMap<>());
      String line = in.readText();
      Map<String, String> metadata = in.readTexts(new LinkedHashMap<>());
      in.end();
      return new LokiEntry(labels, ts, line, metadata);
    }
    // The first layout: counts and lengths as 4-byte ints, every string spelled out.
    Instant ts = Instant.ofEpochSecond(in.readLong(), in.readInt());
    Map<String, String> labels = in.readMap(new TreeMap<>());
    String line = in.readString();
    Map<String, String> metadata = in.readMap(new LinkedHashMap<>());
    return new LokiEntry(labels, ts, line, metadata);
  }

  /** Reads both layouts from an array; a truncated or corrupt record is an IOException. */
  private static final class Reader {
    private final byte[] b;
    private int at;

    Reader(byte[] b) {
      this.b = b;
    }

    private void need(int n) throws IOException {
      if (n < 0 || at + n > b.length) {
        throw new IOException("corrupt entry: " + n + " bytes wanted at " + at + " of " + b.length);
      }
    }

    void end() throws IOException {
      if (at != b.length) {
        throw new IOException("corrupt entry: " + (b.length - at) + " bytes after its end");
      }
    }

    int readInt() throws IOException {
      need(4);
      int v =
          ((b[at] & 0xff) << 24)
              | ((b[at + 1] & 0xff) << 16)
              | ((b[at + 2] & 0xff) << 8)
              | (b[at + 3] & 0xff);
      at += 4;
      return v;
    }

    long readLong() throws IOException {
      return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    int readVarint() throws IOException {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        need(1);
        byte x = b[at++];
        v |= (x & 0x7f) << shift;
        if (x >= 0) {
          if (v < 0) {
            break;
          }
          return v;
        }
      }
      throw new IOException("corrupt entry: bad varint before " + at);
    }

    String readText() throws IOException {
      int tag = readVarint();
      if ((tag & 1) == 1) {
        int n = tag >>> 1;
        need(n);
        String s = new String(b, at, n, StandardCharsets.UTF_8);
        at += n;
        return s;
      }
      int w = tag >>> 1;
      if (w == INSTANT) {
        return IsoInstant.format(Instant.ofEpochSecond(readLong(), readInt()));
      }
      if (w >= WORDS.length) {
        throw new IOException("corrupt entry: unknown word " + w);
      }
      return WORDS[w];
    }

    Map<String, String> readTexts(Map<String, String> map) throws IOException {
      int n = readVarint();
      if (n > 100_000) {
        throw new IOException("corrupt entry: map size " + n);
      }
      for (int i = 0; i < n; i++) {
        map.put(readText(), readText());
      }
      return map;
    }

    Map<String, String> readMap(Map<String, String> map) throws IOException {
      int n = readInt();
      if (n < 0 || n > 100_000) {
        throw new IOException("corrupt entry: map size " + n);
      }
      for (int i = 0; i < n; i++) {
        map.put(readString(), readString());
      }
      return map;
    }

    String readString() throws IOException {
      int n = readInt();
      if (n > 64 << 20) {
        throw new IOException("corrupt entry: string length " + n);
      }
      need(n);
      String s = new String(b, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }
  }
}
