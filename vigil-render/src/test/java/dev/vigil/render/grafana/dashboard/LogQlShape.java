package dev.vigil.render.grafana.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A structural check of LogQL, since no real Loki runs in the tests: brackets and quotes balance,
 * there is a stream selector whose matchers are well formed and of which at least one cannot match
 * the empty string (Loki rejects selectors that could select every stream), line-filter regexes
 * compile, and range functions have a range. It does not type-check the query; the Grafana and Loki
 * that run the dashboards remain the final judge.
 */
final class LogQlShape {
  private static final Pattern SELECTOR = Pattern.compile("\\{([^{}]*)\\}");
  private static final Pattern MATCHER =
      Pattern.compile(
          "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");
  private static final Pattern LINE_FILTER =
      Pattern.compile("(\\|=|!=|\\|~|!~)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern RANGE_FUNCTION =
      Pattern.compile("\\b(count_over_time|rate|bytes_over_time|bytes_rate|sum_over_time)\\s*\\(");
  private static final Pattern RANGE = Pattern.compile("\\[\\s*[1-9][0-9]*(ms|s|m|h|d|w|y)\\s*\\]");

  private LogQlShape() {}

  /** Problems found in a query whose template variables are already substituted; empty if none. */
  static List<String> problems(String query) {
    List<String> problems = new ArrayList<>();
    String outsideStrings = balance(query, problems);
    if (!problems.isEmpty()) {
      return problems;
    }
    Matcher sel = SELECTOR.matcher(query);
    boolean anySelector = false;
    while (sel.find()) {
      anySelector = true;
      checkSelector(sel.group(1), problems);
    }
    if (!anySelector) {
      problems.add("no stream selector {label=\"value\"}");
    }
    Matcher lf = LINE_FILTER.matcher(query);
    while (lf.find()) {
      if (lf.group(1).endsWith("~")) {
        try {
          Pattern.compile(lf.group(2));
        } catch (PatternSyntaxException e) {
          problems.add("line filter regex does not compile: " + lf.group(2));
        }
      }
    }
    if (RANGE_FUNCTION.matcher(outsideStrings).find() && !RANGE.matcher(outsideStrings).find()) {
      problems.add("range function without a [duration] range");
    }
    if (outsideStrings.contains("$")) {
      problems.add("unsubstituted variable");
    }
    return problems;
  }

  private static void checkSelector(String body, List<String> problems) {
    if (body.isBlank()) {
      problems.add("empty stream selector {}");
      return;
    }
    boolean selective = false;
    for (String part : splitMatchers(body)) {
      Matcher m = MATCHER.matcher(part);
      if (!m.matches()) {
        problems.add("malformed matcher '" + part.trim() + "'");
        continue;
      }
      String op = m.group(2);
      String value = m.group(3);
      if (op.endsWith("~")) {
        try {
          Pattern p = Pattern.compile(value);
          if (op.equals("=~") && !p.matcher("").matches()) {
            selective = true;
          }
        } catch (PatternSyntaxException e) {
          problems.add("matcher regex does not compile: " + value);
        }
      } else if (op.equals("=") && !value.isEmpty()) {
        selective = true;
      }
    }
    if (!selective) {
      problems.add("stream selector {" + body + "} has no matcher that excludes the empty value");
    }
  }

  /** Splits on commas outside quotes. */
  private static List<String> splitMatchers(String body) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (inString && c == '\\' && i + 1 < body.length()) {
        cur.append(c).append(body.charAt(++i));
        continue;
      }
      if (c == '"') {
        inString = !inString;
      }
      if (c == ',' && !inString) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** Checks brackets and quotes; returns the query with string contents blanked out. */
  private static String balance(String query, List<String> problems) {
    Deque<Character> open = new ArrayDeque<>();
    StringBuilder outside = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (quote != 0) {
        if (quote == '"' && c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
          outside.append(c);
        }
        continue;
      }
      outside.append(c);
      switch (c) {
        case '"', '`' -> quote = c;
        case '(', '{', '[' -> open.push(c);
        case ')', '}', ']' -> {
          char expected = c == ')' ? '(' : c == '}' ? '{' : '[';
          if (open.isEmpty() || open.pop() != expected) {
            problems.add("unbalanced '" + c + "' at " + i);
            return outside.toString();
          }
        }
        default -> {}
      }
    }
    if (quote != 0) {
      problems.add("unterminated string");
    }
    if (!open.isEmpty()) {
      problems.add("unclosed '" + open.peek() + "'");
    }
    return outside.toString();
  }
}
