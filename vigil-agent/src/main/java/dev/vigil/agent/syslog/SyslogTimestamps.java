package dev.vigil.agent.syslog;

import static dev.vigil.agent.syslog.SyslogText.isDigit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timestamp shapes syslog senders write, read into instants: RFC 3164's {@code Mmm dd hh:mm:ss}
 * (with the year, fraction and zone devices add), RFC 3339 (RFC 5424 and rsyslog's high-precision
 * BSD format), NX-OS's year-first form. A stamp without a zone is in the zone of its source; one
 * without a year in the year that puts it nearest the receive time.
 */
final class SyslogTimestamps {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  static final Pattern BSD_TS =
      Pattern.compile(
          "^([A-Z][a-z]{2}) {1,2}(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
              + "(?: (\\d{4})(?=[: ]|$))?(?: ([A-Z]{1,5}|[+-]\\d{2}:?\\d{2})(?=[: ]|$))?");

  /** NX-OS: "2026 Jan 12 09:50:00 UTC". */
  static final Pattern NXOS_TS =
      Pattern.compile(
          "^(\\d{4}) ([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
              + "(?: ([A-Z]{1,5})(?=[: ]|$))?");

  static final Pattern ISO_TS =
      Pattern.compile(
          "^(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?"
              + "(Z|[+-]\\d{2}:?\\d{2})?(?=[: ]|$)");

  /** A stamp read at some position: the instant (null if impossible), its end, an error. */
  record Stamp(Instant instant, int end, String error) {}

  private final BiFunction<String, String, ZoneId> zoneForSource;

  SyslogTimestamps(BiFunction<String, String, ZoneId> zoneForSource) {
    this.zoneForSource = zoneForSource;
  }

  ZoneId zone(String sender, String host) {
    try {
      ZoneId z = zoneForSource.apply(sender, host);
      return z == null ? ZoneOffset.UTC : z;
    } catch (RuntimeException e) {
      return ZoneOffset.UTC;
    }
  }

  /** Whether any stamp shape starts at {@code p} (a regex test: no conversion). */
  static boolean looksLikeTimestamp(String s, int p) {
    return BSD_TS.matcher(s).region(p, s.length()).lookingAt()
        || NXOS_TS.matcher(s).region(p, s.length()).lookingAt()
        || ISO_TS.matcher(s).region(p, s.length()).lookingAt();
  }

  /** An RFC 3339 stamp (as in rsyslog's BSD high-precision format) at {@code p}, or null. */
  Stamp iso(String s, int p, String sender, String host) {
    // ISO_TS starts with four digits and '-': the cheap test spares the matcher otherwise.
    if (p + 5 > s.length() || !isDigit(s.charAt(p)) || s.charAt(p + 4) != '-') {
      return null;
    }
    Matcher iso = ISO_TS.matcher(s).region(p, s.length());
    if (!iso.lookingAt()) {
      return null;
    }
    Instant t = isoFromMatch(iso, zone(sender, host));
    return new Stamp(t, iso.end(), t == null ? "unreadable timestamp" : null);
  }

  /** NX-OS's "2026 Jan 12 09:50:00[.fff] [ZONE]" at {@code p}, or null. */
  Stamp nxos(String s, int p, String sender, String host) {
    if (p + 5 > s.length() || !isDigit(s.charAt(p)) || s.charAt(p + 4) != ' ') {
      return null;
    }
    Matcher nx = NXOS_TS.matcher(s).region(p, s.length());
    if (!nx.lookingAt()) {
      return null;
    }
    int month = monthIndex(nx.group(2));
    if (month < 0) {
      return null;
    }
    try {
      ZoneId zone = zone(sender, host);
      ZoneId named = nx.group(8) == null ? null : namedZone(nx.group(8));
      Instant t =
          LocalDateTime.of(
                  Integer.parseInt(nx.group(1)),
                  month + 1,
                  Integer.parseInt(nx.group(3)),
                  Integer.parseInt(nx.group(4)),
                  Integer.parseInt(nx.group(5)),
                  Integer.parseInt(nx.group(6)),
                  nx.group(7) == null ? 0 : nanos(nx.group(7)))
              .atZone(named == null ? zone : named)
              .toInstant();
      return new Stamp(t, nx.end(), null);
    } catch (DateTimeException | NumberFormatException e) {
      return new Stamp(null, nx.end(), "impossible date");
    }
  }

  /** RFC 3164's stamp with the year, fraction and zone devices add, at {@code p}, or null. */
  Stamp bsd(String s, int p, Instant receivedAt, String sender, String host) {
    if (p >= s.length() || s.charAt(p) < 'A' || s.charAt(p) > 'Z') {
      return null;
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
        t =
            LocalDateTime.of(LocalDate.of(Integer.parseInt(yearText), month + 1, day), time)
                .atZone(zone)
                .toInstant();
      } else {
        t = inferYear(month + 1, day, time, zone, receivedAt);
      }
      return new Stamp(t, m.end(), t == null ? "impossible date" : null);
    } catch (DateTimeException | NumberFormatException e) {
      return new Stamp(null, m.end(), "impossible date");
    }
  }

  /**
   * The classic RFC 3164 stamp {@code Mmm dd hh:mm:ss} (day space-padded or not) followed by
   * nothing {@link #BSD_TS} would also take (fraction, year, zone); null for anything else, which
   * {@link #bsd} then reads. Same result as the regex, without its cost.
   */
  Stamp plainBsd(String s, int p, Instant receivedAt, String sender, String host) {
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
        || !isDigit(s.charAt(q))
        || !isDigit(s.charAt(q + 1))
        || s.charAt(q + 2) != ':'
        || !isDigit(s.charAt(q + 3))
        || !isDigit(s.charAt(q + 4))
        || s.charAt(q + 5) != ':'
        || !isDigit(s.charAt(q + 6))
        || !isDigit(s.charAt(q + 7))) {
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
      return new Stamp(last.instant, end, last.instant == null ? "impossible date" : null);
    }
    Instant t;
    try {
      t = inferYear(month + 1, day, LocalTime.of(hour, minute, second), zone, receivedAt);
    } catch (DateTimeException e) {
      t = null;
    }
    lastStamp = new LastStamp(month, day, secondOfDay, zone, receivedSecond, t);
    return new Stamp(t, end, t == null ? "impossible date" : null);
  }

  /**
   * The previous plain stamp's result: a stream repeats the same stamp for every message of a
   * second, and messages of one network read share a receive time. Immutable, so a racy read by
   * another listener thread sees a whole entry or none.
   */
  private record LastStamp(
      int month, int day, int secondOfDay, ZoneId zone, long receivedSecond, Instant instant) {}

  private volatile LastStamp lastStamp;

  /**
   * RFC 3164 has no year: take the one that puts the event nearest the receive time, so a December
   * message received in early January lands in the old year and vice versa.
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

  static ZoneId namedZone(String tz) {
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

  /** A whole text as an RFC 3339 stamp; null if it is not one. */
  static Instant parseIso(String text, ZoneId zone) {
    Matcher m = ISO_TS.matcher(text);
    if (!m.matches()) {
      return null;
    }
    return isoFromMatch(m, zone == null ? ZoneOffset.UTC : zone);
  }

  /**
   * {@link #parseIso} of {@code s} from {@code from} to {@code to} for the shape senders write (RFC
   * 5424 6.2.3: {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|+HH:MM|-HH:MM)}, or no offset when the zone
   * is a fixed offset), read by hand: null when the text is anything else, and then {@link
   * #parseIso} decides. Where it answers, it answers as {@link #parseIso} does (tested on both).
   */
  static Instant isoFast(String s, int from, int to, ZoneId zone) {
    int n = to - from;
    if (n < 19
        || s.charAt(from + 4) != '-'
        || s.charAt(from + 7) != '-'
        || (s.charAt(from + 10) != 'T' && s.charAt(from + 10) != ' ')
        || s.charAt(from + 13) != ':'
        || s.charAt(from + 16) != ':') {
      return null;
    }
    int year = digits(s, from, 4);
    int month = digits(s, from + 5, 2);
    int day = digits(s, from + 8, 2);
    int hour = digits(s, from + 11, 2);
    int minute = digits(s, from + 14, 2);
    int second = digits(s, from + 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > monthLength(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 60) {
      return null;
    }
    int p = from + 19;
    int nano = 0;
    if (p < to && s.charAt(p) == '.') {
      int q = p + 1;
      int scale = 100_000_000;
      while (q < to && isDigit(s.charAt(q))) {
        if (q - p > 9) {
          return null;
        }
        nano += (s.charAt(q) - '0') * scale;
        scale /= 10;
        q++;
      }
      if (q == p + 1) {
        return null;
      }
      p = q;
    }
    int offset;
    if (p == to) {
      if (!(zone instanceof ZoneOffset)) {
        return null;
      }
      offset = ((ZoneOffset) zone).getTotalSeconds();
    } else if (p + 1 == to && s.charAt(p) == 'Z') {
      offset = 0;
    } else if (p + 6 == to
        && (s.charAt(p) == '+' || s.charAt(p) == '-')
        && s.charAt(p + 3) == ':') {
      int oh = digits(s, p + 1, 2);
      int om = digits(s, p + 4, 2);
      // ZoneOffset's own bounds: up to 18 hours.
      if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) {
        return null;
      }
      offset = (oh * 3600 + om * 60) * (s.charAt(p) == '-' ? -1 : 1);
    } else {
      return null;
    }
    // RFC 5424 allows a leap second "60"; clamped, as the regex path does.
    long epochSecond =
        epochDay(year, month, day) * 86_400L
            + hour * 3600
            + minute * 60
            + Math.min(59, second)
            - offset;
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** The value of {@code width} ASCII digits at {@code at}, or -1. */
  private static int digits(String s, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-calendar count). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
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
}
