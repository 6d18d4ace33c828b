package dev.vigil.render.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vector selectors of a PromQL expression, bare metric names included ({@code
 * instance:node_cpu_utilisation:rate5m} selects as much as {@code up{job="x"}}). Not a parser: a
 * scanner that skips strings, comments, ranges and the label lists of grouping clauses, and takes
 * an identifier for a metric name unless it is a keyword, an aggregation or a function call. Its
 * own tests pin the cases it must get right.
 */
public final class PromQlSelectors {
  /** One selector: the metric name (empty for {@code {__name__=~...}}) and its matcher text. */
  public record Selector(String name, String matchers) {
    /** Whether a matcher on {@code label} (any operator) is present. */
    public boolean matches(String label) {
      return Pattern.compile("(^|[,\\s])" + Pattern.quote(label) + "\\s*(=|!=|=~|!~)")
          .matcher(matchers)
          .find();
    }

    /**
     * Whether the selector keeps only series without a {@code cluster} label: {@code cluster=""}.
     */
    public boolean local() {
      return Pattern.compile("(^|[,\\s])cluster\\s*=\\s*\"\"").matcher(matchers).find();
    }

    /**
     * Whether the selector selects a series of this name and labels, leaving out the matchers on
     * {@code ignored} labels (a federated copy differs from the local series in {@code cluster}).
     */
    public boolean selects(String series, Map<String, String> labels, Set<String> ignored) {
      if (!name.isEmpty() && !name.equals(series)) {
        return false;
      }
      Matcher m = MATCHER.matcher(matchers);
      while (m.find()) {
        String label = m.group(1);
        if (ignored.contains(label)) {
          continue;
        }
        String actual = label.equals("__name__") ? series : labels.getOrDefault(label, "");
        String value = m.group(3).replace("\\\\", "\\").replace("\\\"", "\"");
        boolean ok =
            switch (m.group(2)) {
              case "=" -> actual.equals(value);
              case "!=" -> !actual.equals(value);
              case "=~" -> actual.matches(value);
              default -> !actual.matches(value);
            };
        if (!ok) {
          return false;
        }
      }
      return !name.isEmpty() || matchers.contains("__name__");
    }

    @Override
    public String toString() {
      return name + "{" + matchers + "}";
    }
  }

  private static final Pattern MATCHER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

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

  private PromQlSelectors() {}

  public static List<Selector> of(String expr) {
    List<Selector> out = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    boolean grouping = false;
    boolean afterOffset = false;
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i);
        continue;
      }
      if (c == '#') {
        int nl = expr.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
        continue;
      }
      if (c == '[') {
        i = expr.indexOf(']', i) + 1;
        continue;
      }
      if (c == '{') {
        int end = closingBrace(expr, i);
        out.add(new Selector("", expr.substring(i + 1, end)));
        i = end + 1;
        continue;
      }
      if (c == '(' && grouping) {
        i = expr.indexOf(')', i) + 1;
        grouping = false;
        continue;
      }
      Matcher m = IDENT.matcher(expr).region(i, n);
      boolean startsToken =
          i == 0
              || !(Character.isLetterOrDigit(expr.charAt(i - 1))
                  || "_.:".indexOf(expr.charAt(i - 1)) >= 0);
      if (Character.isDigit(c) || (m.lookingAt() && !startsToken)) {
        // A number or duration (5m, 1e3, 0x1f), or the tail of one.
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
        afterOffset = false;
        continue;
      }
      if (m.lookingAt()) {
        String word = m.group();
        int j = m.end();
        int k = j;
        while (k < n && Character.isWhitespace(expr.charAt(k))) {
          k++;
        }
        char next = k < n ? expr.charAt(k) : 0;
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
          out.add(new Selector(word, expr.substring(k + 1, end)));
          j = end + 1;
        } else {
          out.add(new Selector(word, ""));
        }
        i = j;
        continue;
      }
      i++;
    }
    return out;
  }

  private static int endOfString(String expr, int start) {
    char quote = expr.charAt(start);
    int i = start + 1;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  /** The closing brace of a matcher list, past braces inside its strings (regexes like a{2}). */
  private static int closingBrace(String expr, int open) {
    int i = open + 1;
    while (i < expr.length() && expr.charAt(i) != '}') {
      char c = expr.charAt(i);
      i = c == '"' || c == '\'' || c == '`' ? endOfString(expr, i) : i + 1;
    }
    return i;
  }
}
