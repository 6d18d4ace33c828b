package dev.vigil.render.grafana.dashboard;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a dashboard query to the local cluster: every vector selector that has no {@code cluster}
 * matcher gets {@code cluster=""}, which matches exactly the series without the label, the ones
 * this Prometheus scraped itself (series federated from another cluster carry its name). A sum over
 * two clusters is neither cluster's number; see
 * docs/decisions/0010-rules-judge-the-local-cluster.md.
 *
 * <p>Not a parser: a scanner that skips strings, comments, ranges and the label lists of grouping
 * clauses, and takes an identifier for a metric name unless it is a keyword, an aggregation or a
 * function call. Grafana variables sit inside strings and ranges, so they pass through unchanged.
 */
final class LocalCluster {
  static final String MATCHER = "cluster=\"\"";

  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "unless", "offset", "bool", "inf", "nan", "Inf", "NaN", "atan2", "start",
          "end");
  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "avg",
          "count",
          "min",
          "max",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "limitk",
          "limit_ratio");
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Pattern CLUSTER_MATCHER =
      Pattern.compile("(^|[,\\s])cluster\\s*(=|!=|=~|!~)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("(label_values\\()(.+)(,\\s*[A-Za-z_][A-Za-z0-9_]*\\))");

  private LocalCluster() {}

  /** {@code expr} with {@code cluster=""} in every selector that has no cluster matcher. */
  static String scope(String expr) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = expr.length();
    boolean grouping = false;
    boolean afterOffset = false;
    while (i < n) {
      char c = expr.charAt(i);
      int from = i;
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i);
      } else if (c == '#') {
        int nl = expr.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
      } else if (c == '{') {
        int end = closingBrace(expr, i);
        out.append(withLocalMatcher(expr.substring(i + 1, end)));
        i = end + 1;
        continue;
      } else if (c == '(' && grouping) {
        i = expr.indexOf(')', i) + 1;
        grouping = false;
      } else if (Character.isDigit(c) || (isIdentStart(c) && !startsToken(expr, i))) {
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
        afterOffset = false;
      } else if (isIdentStart(c)) {
        Matcher m = IDENT.matcher(expr).region(i, n);
        m.lookingAt();
        String word = m.group();
        int j = m.end();
        int k = j;
        while (k < n && Character.isWhitespace(expr.charAt(k))) {
          k++;
        }
        char next = k < n ? expr.charAt(k) : 0;
        out.append(word);
        if (GROUPING.contains(word)) {
          grouping = true;
          afterOffset = false;
        } else if (word.equals("offset")) {
          afterOffset = true;
        } else if (afterOffset
            || KEYWORDS.contains(word)
            || AGGREGATIONS.contains(word)
            || next == '(') {
          afterOffset = false;
        } else if (next == '{') {
          int end = closingBrace(expr, k);
          out.append(expr, j, k).append(withLocalMatcher(expr.substring(k + 1, end)));
          j = end + 1;
        } else {
          out.append('{').append(MATCHER).append('}');
        }
        i = j;
        continue;
      } else {
        i++;
      }
      out.append(expr, from, i);
    }
    return out.toString();
  }

  /** A {@code label_values(selector, label)} variable query with its selector scoped. */
  static String scopeLabelValues(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (!m.matches()) {
      return query;
    }
    return m.group(1) + scope(m.group(2)) + m.group(3);
  }

  private static String withLocalMatcher(String matchers) {
    if (CLUSTER_MATCHER.matcher(matchers).find()) {
      return "{" + matchers + "}";
    }
    String body = matchers.strip();
    if (body.isEmpty()) {
      return "{" + MATCHER + "}";
    }
    String sep = body.endsWith(",") ? "" : body.contains(", ") ? ", " : ",";
    return "{" + body + sep + MATCHER + "}";
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean startsToken(String expr, int i) {
    if (i == 0) {
      return true;
    }
    char p = expr.charAt(i - 1);
    return !(Character.isLetterOrDigit(p) || p == '_' || p == '.' || p == ':');
  }

  private static int endOfString(String expr, int start) {
    char quote = expr.charAt(start);
    int i = start + 1;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return Math.min(i + 1, expr.length());
  }

  private static int closingBrace(String expr, int open) {
    int i = open + 1;
    while (i < expr.length() && expr.charAt(i) != '}') {
      char c = expr.charAt(i);
      i = c == '"' || c == '\'' || c == '`' ? endOfString(expr, i) : i + 1;
    }
    return i;
  }
}
