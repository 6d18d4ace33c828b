package dev.vigil.render.contract;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: strings, label matchers, grouping
 * clauses, ranges and offsets are taken out first, and what remains that is neither a function, an
 * aggregation, a keyword nor a number is a metric name. Its own tests pin the cases it must get
 * right.
 */
final class PromQlNames {
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
  private static final Pattern NAME_MATCHER =
      Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
  private static final Pattern TOKEN =
      Pattern.compile("(?<![A-Za-z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "inf",
          "nan",
          "Inf",
          "NaN",
          "atan2",
          "start",
          "end");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    Set<String> names = new TreeSet<>();
    String e = expr;
    Matcher byName = NAME_MATCHER.matcher(e);
    while (byName.find()) {
      names.add(byName.group(1));
    }
    e = STRING.matcher(e).replaceAll("\"\"");
    e = VARIABLE.matcher(e).replaceAll("5m");
    String before;
    do {
      before = e;
      e = MATCHERS.matcher(e).replaceAll(" ");
    } while (!e.equals(before));
    e = GROUPING.matcher(e).replaceAll(" ");
    e = RANGE.matcher(e).replaceAll(" ");
    e = OFFSET.matcher(e).replaceAll(" ");
    Matcher t = TOKEN.matcher(e);
    while (t.find()) {
      String name = t.group(1);
      boolean call = t.group(2) != null;
      if (!call && !KEYWORDS.contains(name) && !name.matches("[0-9].*")) {
        names.add(name);
      }
    }
    return names;
  }
}
