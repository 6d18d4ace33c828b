package dev.vigil.agent.syslog;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} without its cost on the receive path: the text up to the second is
 * cached per second (messages arrive many per second) and the fraction is appended by hand, in the
 * same groups of three digits. Instants outside years 1970-9999 take {@link Instant#toString()}.
 */
final class IsoInstant {
  private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private record Second(long epochSecond, String text) {}

  /**
   * Direct-mapped by second: receive times (consecutive seconds) and event times (often another
   * day) do not evict each other. Entries are immutable, so racy reads are safe.
   */
  private static final Second[] CACHE = new Second[64];

  private IsoInstant() {}

  static String format(Instant t) {
    long sec = t.getEpochSecond();
    if (sec < 0 || sec > MAX_SECOND) {
      return t.toString();
    }
    int nano = t.getNano();
    int slotFull = (int) ((sec ^ nano) & (FULL.length - 1));
    Full f = FULL[slotFull];
    if (f != null && f.epochSecond == sec && f.nano == nano) {
      return f.text;
    }
    int slot = (int) (sec & (CACHE.length - 1));
    Second s = CACHE[slot];
    if (s == null || s.epochSecond() != sec) {
      // yyyy-MM-ddTHH:mm:ss, as ISO_INSTANT prints it (seconds always present).
      LocalDateTime d = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
      char[] c = new char[19];
      put(c, 0, d.getYear(), 4);
      c[4] = '-';
      put(c, 5, d.getMonthValue(), 2);
      c[7] = '-';
      put(c, 8, d.getDayOfMonth(), 2);
      c[10] = 'T';
      put(c, 11, d.getHour(), 2);
      c[13] = ':';
      put(c, 14, d.getMinute(), 2);
      c[16] = ':';
      put(c, 17, d.getSecond(), 2);
      s = new Second(sec, new String(c));
      CACHE[slot] = s;
    }
    String text = nano == 0 ? s.text() + 'Z' : withFraction(s.text(), nano);
    FULL[slotFull] = new Full(sec, nano, text);
    return text;
  }

  private static String withFraction(String second, int nano) {
    int digits;
    int value;
    if (nano % 1_000_000 == 0) {
      digits = 3;
      value = nano / 1_000_000;
    } else if (nano % 1000 == 0) {
      digits = 6;
      value = nano / 1000;
    } else {
      digits = 9;
      value = nano;
    }
    char[] out = new char[19 + 1 + digits + 1];
    second.getChars(0, 19, out, 0);
    out[19] = '.';
    put(out, 20, value, digits);
    out[out.length - 1] = 'Z';
    return new String(out);
  }

  private record Full(long epochSecond, int nano, String text) {}

  /**
   * Whole texts with their fraction, direct-mapped: the messages of one network read share a
   * receive time, so it is formatted once per read, not once per message.
   */
  private static final Full[] FULL = new Full[64];

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
