package dev.vigil.agent.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which entries of a push Loki refused, read from the body of its 400 answer.
 *
 * <p>Loki's distributor validates every entry, stores the valid ones and answers 400 with one text
 * naming the refused ones: its messages grouped by text, {@code "N errors like: MSG"} when there is
 * more than one (groups joined by {@code "; "}, in no fixed order), each message naming the stream
 * ({@code {a="b", c="d"}}) and what identifies the entry: its timestamp to the second (too old, too
 * new), its line length (too long), its structured metadata size or count, or nothing for
 * stream-wide refusals (labels). An ingester's out-of-order refusal lists each entry's full
 * timestamp and ends with the stream. This reads those messages, maps each to the entries it
 * describes, and trusts the result only when every reported refusal is accounted for; otherwise it
 * says it does not know (the caller then keeps the whole batch).
 */
final class LokiRejections {
  /** One refused entry: its index in the push and Loki's message for it. */
  record Refused(int index, String reason) {}

  private static final String STREAM = "'(\\{.*?\\})'";
  private static final Pattern COUNT = Pattern.compile("(\\d+) errors like: ");
  private static final Pattern TOO_OLD =
      Pattern.compile(
          "entry for stream "
              + STREAM
              + " has timestamp too old: ([^,\\s]+), oldest acceptable timestamp is: (\\S+?)(?=;|\\s*$|\\n)");
  private static final Pattern TOO_NEW =
      Pattern.compile(
          "entry for stream " + STREAM + " has timestamp too new: (\\S+?)(?=;|\\s*$|\\n)");
  private static final Pattern LINE_TOO_LONG =
      Pattern.compile(
          "Max entry size '(\\d+)' bytes exceeded for stream "
              + STREAM
              + " while adding an entry with length '(\\d+)' bytes");
  private static final Pattern SM_TOO_LARGE =
      Pattern.compile(
          "stream "
              + STREAM
              + " has structured metadata too large: '(\\d+)' bytes, limit: '\\d+' bytes\\.[^;]*");
  private static final Pattern SM_TOO_MANY =
      Pattern.compile(
          "stream "
              + STREAM
              + " has too many structured metadata labels: '(\\d+)', limit: '\\d+'\\.[^;]*");
  private static final Pattern SM_DISALLOWED =
      Pattern.compile(
          "stream "
              + STREAM
              + " includes structured metadata, but this feature is disallowed\\.[^;]*");

  /** Refusals of a whole stream for its labels. */
  private static final Pattern[] STREAM_WIDE = {
    Pattern.compile("stream " + STREAM + " has label name too long: '[^']*'"),
    Pattern.compile("stream " + STREAM + " has label value too long: '[^']*'"),
    Pattern.compile("stream " + STREAM + " has duplicate label name: '[^']*'"),
    Pattern.compile("entry for stream " + STREAM + " has \\d+ label names; limit \\d+"),
    Pattern.compile("Error parsing labels " + STREAM + " with error: [^;]*"),
  };

  private static final Pattern IGNORED =
      Pattern.compile("entry with timestamp (.+?) ignored, reason: '(.*?)',\\n");
  private static final Pattern IGNORED_TOTAL =
      Pattern.compile(
          "user '[^']*', total ignored: (\\d+) out of \\d+ for stream: (\\{.*?\\})(?=;|\\s*$|\\n)");

  private static final DateTimeFormatter RFC3339_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);

  private LokiRejections() {}

  /**
   * The entries of {@code entries} that {@code body} says Loki refused; null when the body is not
   * one Loki writes for refused entries, or names more refusals than it can place.
   */
  static List<Refused> refused(String body, List<LokiEntry> entries) {
    if (body == null || body.isBlank()) {
      return null;
    }
    List<Group> groups = new ArrayList<>();
    collect(body, TOO_OLD, Kind.TOO_OLD, groups);
    collect(body, TOO_NEW, Kind.TOO_NEW, groups);
    collect(body, LINE_TOO_LONG, Kind.LINE_TOO_LONG, groups);
    collect(body, SM_TOO_LARGE, Kind.SM_TOO_LARGE, groups);
    collect(body, SM_TOO_MANY, Kind.SM_TOO_MANY, groups);
    collect(body, SM_DISALLOWED, Kind.SM_DISALLOWED, groups);
    for (Pattern p : STREAM_WIDE) {
      collect(body, p, Kind.STREAM, groups);
    }
    collectIgnored(body, groups);
    if (groups.isEmpty()) {
      return null;
    }
    Map<Integer, String> refused = new TreeMap<>();
    Map<String, List<Integer>> byStream = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      byStream.computeIfAbsent(canonical(entries.get(i).labels()), k -> new ArrayList<>()).add(i);
    }
    for (Group g : groups) {
      Map<String, String> streamLabels = parseSelector(g.stream);
      if (streamLabels == null) {
        return null;
      }
      List<Integer> candidates = new ArrayList<>();
      for (Map.Entry<String, List<Integer>> s : byStream.entrySet()) {
        if (sameStream(s.getKey(), entries.get(s.getValue().get(0)).labels(), streamLabels)) {
          for (int i : s.getValue()) {
            if (!refused.containsKey(i) && g.matches(entries.get(i))) {
              candidates.add(i);
            }
          }
        }
      }
      if (g.kind == Kind.STREAM) {
        // Every entry of the stream went with it; the count, if any, is of entries.
        if (candidates.isEmpty()) {
          return null;
        }
        candidates.forEach(i -> refused.put(i, g.message));
        continue;
      }
      if (candidates.size() < g.count) {
        return null;
      }
      if (g.kind == Kind.TOO_NEW) {
        candidates.sort(Comparator.comparing((Integer i) -> entries.get(i).timestamp()).reversed());
      } else {
        candidates.sort(Comparator.comparing((Integer i) -> entries.get(i).timestamp()));
      }
      for (int k = 0; k < g.count; k++) {
        refused.put(candidates.get(k), g.message);
      }
    }
    List<Refused> out = new ArrayList<>();
    refused.forEach((i, reason) -> out.add(new Refused(i, reason)));
    return out;
  }

  private enum Kind {
    TOO_OLD,
    TOO_NEW,
    LINE_TOO_LONG,
    SM_TOO_LARGE,
    SM_TOO_MANY,
    SM_DISALLOWED,
    STREAM,
    IGNORED
  }

  private static final class Group {
    final Kind kind;
    final String stream;
    final String key;
    final int count;
    final String message;

    Group(Kind kind, String stream, String key, int count, String message) {
      this.kind = kind;
      this.stream = stream;
      this.key = key;
      this.count = count;
      this.message = message;
    }

    boolean matches(LokiEntry e) {
      switch (kind) {
        case TOO_OLD:
        case TOO_NEW:
          return RFC3339_SECONDS.format(e.timestamp()).equals(key);
        case LINE_TOO_LONG:
          return Integer.toString(e.line().getBytes(StandardCharsets.UTF_8).length).equals(key);
        case SM_TOO_LARGE:
          return Integer.toString(metadataBytes(e)).equals(key);
        case SM_TOO_MANY:
          return Integer.toString(e.metadata().size()).equals(key);
        case SM_DISALLOWED:
          return !e.metadata().isEmpty();
        case IGNORED:
          return goTime(e.timestamp()).equals(key);
        default:
          return true;
      }
    }
  }

  private static void collect(String body, Pattern p, Kind kind, List<Group> out) {
    Matcher m = p.matcher(body);
    while (m.find()) {
      String key = null;
      switch (kind) {
        case TOO_OLD:
        case TOO_NEW:
          key = m.group(2);
          break;
        case LINE_TOO_LONG:
          key = m.group(3);
          break;
        case SM_TOO_LARGE:
        case SM_TOO_MANY:
          key = m.group(2);
          break;
        default:
          break;
      }
      String stream = kind == Kind.LINE_TOO_LONG ? m.group(2) : m.group(1);
      out.add(new Group(kind, stream, key, countBefore(body, m.start()), m.group()));
    }
  }

  /** The ingester's out-of-order list: one line per entry, then the stream and the total. */
  private static void collectIgnored(String body, List<Group> out) {
    Matcher total = IGNORED_TOTAL.matcher(body);
    int from = 0;
    while (total.find()) {
      Matcher m = IGNORED.matcher(body).region(from, total.start());
      int listed = 0;
      List<Group> these = new ArrayList<>();
      while (m.find()) {
        listed++;
        these.add(new Group(Kind.IGNORED, total.group(2), m.group(1), 1, m.group().trim()));
      }
      if (listed != Integer.parseInt(total.group(1))) {
        // Loki lists at most a few of them: the rest cannot be placed.
        these.add(new Group(Kind.IGNORED, total.group(2), "\0unlisted", 1, total.group()));
      }
      out.addAll(these);
      from = total.end();
    }
  }

  /** N of "N errors like: " right before {@code at}, else 1. */
  private static int countBefore(String body, int at) {
    int start = Math.max(0, at - 24);
    Matcher m = COUNT.matcher(body).region(start, at);
    int n = 1;
    while (m.find()) {
      if (m.end() == at) {
        n = Integer.parseInt(m.group(1));
      }
    }
    return n;
  }

  private static int metadataBytes(LokiEntry e) {
    int n = 0;
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      // Loki leaves its own "level" out of the size.
      if (!m.getKey().equals("level")) {
        n +=
            m.getKey().getBytes(StandardCharsets.UTF_8).length
                + m.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }

  /**
   * Go's {@code time.Time.String()} of a UTC instant: "2006-01-02 15:04:05.999999999 +0000 UTC".
   */
  static String goTime(Instant t) {
    String base =
        DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    String frac = "";
    if (t.getNano() != 0) {
      frac = String.format(".%09d", t.getNano()).replaceAll("0+$", "");
    }
    return base + frac + " +0000 UTC";
  }

  private static String canonical(Map<String, String> labels) {
    return new TreeMap<>(labels).toString();
  }

  /**
   * Whether Loki's stream names ours: the same labels, except that Loki adds {@code service_name}
   * (its discover_service_name default) when the stream has none.
   */
  private static boolean sameStream(
      String ignored, Map<String, String> ours, Map<String, String> loki) {
    for (Map.Entry<String, String> e : ours.entrySet()) {
      if (!e.getValue().equals(loki.get(e.getKey()))) {
        return false;
      }
    }
    for (String k : loki.keySet()) {
      if (!ours.containsKey(k) && !k.equals("service_name")) {
        return false;
      }
    }
    return true;
  }

  /** {@code {a="b", c="d"}} with Go-quoted values; null if it is not one. */
  static Map<String, String> parseSelector(String s) {
    Map<String, String> out = new TreeMap<>();
    int i = 0;
    int n = s.length();
    if (n < 2 || s.charAt(0) != '{' || s.charAt(n - 1) != '}') {
      return null;
    }
    i = 1;
    while (i < n - 1) {
      int eq = s.indexOf('=', i);
      if (eq < 0 || eq + 1 >= n || s.charAt(eq + 1) != '"') {
        return null;
      }
      String name = s.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < n - 1 && s.charAt(j) != '"') {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < n - 1) {
          char e = s.charAt(j + 1);
          switch (e) {
            case 'n':
              value.append('\n');
              j += 2;
              break;
            case 't':
              value.append('\t');
              j += 2;
              break;
            case 'r':
              value.append('\r');
              j += 2;
              break;
            case 'x':
              if (j + 3 >= n) {
                return null;
              }
              value.append((char) Integer.parseInt(s.substring(j + 2, j + 4), 16));
              j += 4;
              break;
            case 'u':
              if (j + 5 >= n) {
                return null;
              }
              value.append((char) Integer.parseInt(s.substring(j + 2, j + 6), 16));
              j += 6;
              break;
            default:
              value.append(e);
              j += 2;
          }
        } else {
          value.append(c);
          j++;
        }
      }
      if (j >= n - 1) {
        return null;
      }
      out.put(name, value.toString());
      i = j + 1;
      if (i < n - 1) {
        if (!s.startsWith(", ", i)) {
          return null;
        }
        i += 2;
      }
    }
    return out;
  }
}
