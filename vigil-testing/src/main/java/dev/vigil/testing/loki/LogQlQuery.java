package dev.vigil.testing.loki;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of LogQL a log query of the stack's checks uses: a stream selector of label matchers
 * ({@code =}, {@code !=}, {@code =~}, {@code !~}; regexes anchored, as Loki's are) followed by line
 * filters ({@code |=}, {@code !=}, {@code |~}, {@code !~}). Anything else is refused the way Loki
 * refuses a query it cannot parse, so a test cannot pass with a query real Loki would reject.
 */
public final class LogQlQuery {
  private record LabelMatcher(String name, String op, String value, Pattern re) {
    boolean matches(Map<String, String> labels) {
      String v = labels.getOrDefault(name, "");
      return switch (op) {
        case "=" -> v.equals(value);
        case "!=" -> !v.equals(value);
        case "=~" -> re.matcher(v).matches();
        default -> !re.matcher(v).matches();
      };
    }
  }

  private record LineFilter(String op, String value, Pattern re) {
    boolean matches(String line) {
      return switch (op) {
        case "|=" -> line.contains(value);
        case "!=" -> !line.contains(value);
        case "|~" -> re.matcher(line).find();
        default -> !re.matcher(line).find();
      };
    }
  }

  private final List<LabelMatcher> matchers;
  private final List<LineFilter> filters;

  private LogQlQuery(List<LabelMatcher> matchers, List<LineFilter> filters) {
    this.matchers = matchers;
    this.filters = filters;
  }

  /** Parses a query; the exception's message is what the receiver answers with 400. */
  public static LogQlQuery parse(String q) {
    int[] pos = {0};
    skip(q, pos);
    expect(q, pos, '{');
    List<LabelMatcher> matchers = new ArrayList<>();
    while (true) {
      skip(q, pos);
      if (peek(q, pos) == '}') {
        pos[0]++;
        break;
      }
      String name = ident(q, pos);
      skip(q, pos);
      String op = operator(q, pos, List.of("=~", "!~", "!=", "="));
      skip(q, pos);
      String value = string(q, pos);
      matchers.add(
          new LabelMatcher(
              name, op, value, op.contains("~") ? Pattern.compile("^(?:" + value + ")$") : null));
      skip(q, pos);
      if (peek(q, pos) == ',') {
        pos[0]++;
      }
    }
    if (matchers.isEmpty()
        || matchers.stream()
            .allMatch(
                m -> m.re() != null && m.re().matcher("").matches() || m.op().startsWith("!"))) {
      throw new IllegalArgumentException(
          "parse error : queries require at least one regexp or equality matcher that"
              + " does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but"
              + " app=~\".+\" will");
    }
    List<LineFilter> filters = new ArrayList<>();
    while (true) {
      skip(q, pos);
      if (pos[0] >= q.length()) {
        break;
      }
      String op = operator(q, pos, List.of("|=", "!=", "|~", "!~"));
      skip(q, pos);
      String value = string(q, pos);
      filters.add(new LineFilter(op, value, op.contains("~") ? Pattern.compile(value) : null));
    }
    return new LogQlQuery(List.copyOf(matchers), List.copyOf(filters));
  }

  public boolean matches(Map<String, String> labels, String line) {
    return matchers.stream().allMatch(m -> m.matches(labels))
        && filters.stream().allMatch(f -> f.matches(line));
  }

  private static void skip(String q, int[] pos) {
    while (pos[0] < q.length() && Character.isWhitespace(q.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  private static char peek(String q, int[] pos) {
    if (pos[0] >= q.length()) {
      throw new IllegalArgumentException("parse error at end of query: unexpected end of input");
    }
    return q.charAt(pos[0]);
  }

  private static void expect(String q, int[] pos, char c) {
    if (peek(q, pos) != c) {
      throw new IllegalArgumentException(
          "parse error at line 1, col "
              + (pos[0] + 1)
              + ": syntax error: unexpected "
              + q.charAt(pos[0])
              + ", expecting "
              + c);
    }
    pos[0]++;
  }

  private static String ident(String q, int[] pos) {
    int start = pos[0];
    while (pos[0] < q.length()
        && (Character.isLetterOrDigit(q.charAt(pos[0])) || q.charAt(pos[0]) == '_')) {
      pos[0]++;
    }
    if (start == pos[0]) {
      throw new IllegalArgumentException(
          "parse error at line 1, col " + (start + 1) + ": syntax error: expecting label name");
    }
    return q.substring(start, pos[0]);
  }

  private static String operator(String q, int[] pos, List<String> ops) {
    for (String op : ops) {
      if (q.startsWith(op, pos[0])) {
        pos[0] += op.length();
        return op;
      }
    }
    throw new IllegalArgumentException(
        "parse error at line 1, col "
            + (pos[0] + 1)
            + ": syntax error: unexpected "
            + q.substring(pos[0], Math.min(q.length(), pos[0] + 5)));
  }

  private static String string(String q, int[] pos) {
    char quote = peek(q, pos);
    if (quote != '"' && quote != '`') {
      throw new IllegalArgumentException(
          "parse error at line 1, col " + (pos[0] + 1) + ": syntax error: expecting string");
    }
    pos[0]++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = peek(q, pos);
      pos[0]++;
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\\' && quote == '"') {
        char n = peek(q, pos);
        pos[0]++;
        sb.append(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> n;
            });
      } else {
        sb.append(c);
      }
    }
  }
}
