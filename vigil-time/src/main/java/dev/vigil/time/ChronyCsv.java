package dev.vigil.time;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the CSV that {@code chronyc -c} prints for {@code tracking} and {@code sources}.
 *
 * <p>Fields are split on commas; chrony never quotes, and names resolved by DNS cannot contain a
 * comma. Errors name the line and field so that a format change in a future chrony is obvious.
 */
public final class ChronyCsv {
  static final int TRACKING_FIELDS = 14;
  static final int SOURCES_FIELDS = 10;

  /** chronyc prints 2^32 - 1 seconds for a source that never answered. */
  private static final long NEVER = 4_294_967_295L;

  private ChronyCsv() {}

  public static ChronyTracking parseTracking(String output) {
    List<String> lines = nonEmptyLines(output);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("chronyc tracking: empty output");
    }
    String line = lines.get(0);
    String[] f = split(line, TRACKING_FIELDS, "chronyc tracking line 1");
    String where = "chronyc tracking line 1";
    return new ChronyTracking(
        f[0],
        f[1],
        integer(f[2], where, "stratum"),
        decimal(f[3], where, "ref time"),
        decimal(f[4], where, "system time"),
        decimal(f[5], where, "last offset"),
        decimal(f[6], where, "RMS offset"),
        decimal(f[7], where, "frequency"),
        decimal(f[8], where, "residual frequency"),
        decimal(f[9], where, "skew"),
        decimal(f[10], where, "root delay"),
        decimal(f[11], where, "root dispersion"),
        decimal(f[12], where, "update interval"),
        leap(f[13], where));
  }

  public static List<ChronySource> parseSources(String output) {
    List<ChronySource> out = new ArrayList<>();
    List<String> lines = nonEmptyLines(output);
    for (int i = 0; i < lines.size(); i++) {
      String where = "chronyc sources line " + (i + 1);
      String[] f = split(lines.get(i), SOURCES_FIELDS, where);
      long lastRx = longValue(f[6], where, "last rx");
      try {
        out.add(
            new ChronySource(
                ChronySource.Mode.of(f[0]),
                ChronySource.State.of(f[1]),
                f[2],
                integer(f[3], where, "stratum"),
                integer(f[4], where, "poll"),
                octal(f[5], where),
                lastRx >= NEVER ? -1 : lastRx,
                decimal(f[7], where, "offset"),
                decimal(f[8], where, "measured offset"),
                decimal(f[9], where, "error")));
      } catch (IllegalArgumentException e) {
        if (e.getMessage().startsWith("chronyc")) {
          throw e;
        }
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static List<String> nonEmptyLines(String output) {
    List<String> lines = new ArrayList<>();
    if (output == null) {
      return lines;
    }
    for (String l : output.split("\\R")) {
      if (!l.isBlank()) {
        lines.add(l.strip());
      }
    }
    return lines;
  }

  private static String[] split(String line, int expected, String where) {
    String[] f = line.split(",", -1);
    if (f.length != expected) {
      throw new IllegalArgumentException(
          where
              + ": expected "
              + expected
              + " comma-separated fields, got "
              + f.length
              + ": "
              + line);
    }
    return f;
  }

  private static int integer(String s, String where, String field) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": " + field + " is not an integer: '" + s + "'");
    }
  }

  private static long longValue(String s, String where, String field) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": " + field + " is not an integer: '" + s + "'");
    }
  }

  private static int octal(String s, String where) {
    try {
      int v = Integer.parseInt(s.strip(), 8);
      if (v < 0 || v > 0377) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ": reach is not an 8-bit octal value: '" + s + "'");
    }
  }

  private static double decimal(String s, String where, String field) {
    try {
      double v = Double.parseDouble(s.strip());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": " + field + " is not a number: '" + s + "'");
    }
  }

  private static LeapIndicator leap(String s, String where) {
    return switch (s.strip()) {
      case "Normal" -> LeapIndicator.NONE;
      case "Insert second" -> LeapIndicator.INSERT_SECOND;
      case "Delete second" -> LeapIndicator.DELETE_SECOND;
      case "Not synchronised" -> LeapIndicator.UNSYNCHRONISED;
      default -> throw new IllegalArgumentException(where + ": unknown leap status '" + s + "'");
    };
  }
}
