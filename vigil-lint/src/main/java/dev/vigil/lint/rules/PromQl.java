package dev.vigil.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A syntactic check of PromQL expressions as Prometheus 3.5 reads them: tokens as its lexer scans
 * them (strings and their escapes, numbers, durations, identifiers, comments), the grammar of
 * selectors, matchers, function calls, aggregations, binary operators with their matching
 * modifiers, ranges, subqueries, offsets and {@code @}, known function names with their argument
 * counts. It does not type-check (a range where an instant vector is expected, a scalar on the
 * wrong side of a set operator): {@code promtool check rules} is the full check. Linear in the
 * length of the expression, with nesting bounded, so hostile input cannot make it slow or deep.
 */
final class PromQl {
  private PromQl() {}

  /** Deeper nesting is refused: a recursive-descent parser must not overflow the stack. */
  static final int MAX_DEPTH = 200;

  /**
   * The functions of Prometheus 3.5 (promql/parser/functions.go at v3.5.0) with how many arguments
   * they take: at least {@code min}, at most {@code max} (-1 for any number).
   */
  record Function(int min, int max, boolean experimental) {}

  static final Map<String, Function> FUNCTIONS = functions();

  private static Map<String, Function> functions() {
    Map<String, Function> f = new java.util.HashMap<>();
    for (String one :
        List.of(
            "abs",
            "absent",
            "absent_over_time",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "avg_over_time",
            "ceil",
            "changes",
            "cos",
            "cosh",
            "count_over_time",
            "deg",
            "delta",
            "deriv",
            "exp",
            "floor",
            "histogram_avg",
            "histogram_count",
            "histogram_sum",
            "histogram_stddev",
            "histogram_stdvar",
            "idelta",
            "increase",
            "irate",
            "last_over_time",
            "ln",
            "log10",
            "log2",
            "max_over_time",
            "min_over_time",
            "present_over_time",
            "rad",
            "rate",
            "resets",
            "scalar",
            "sgn",
            "sin",
            "sinh",
            "sort",
            "sort_desc",
            "sqrt",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time",
            "tan",
            "tanh",
            "timestamp",
            "vector")) {
      f.put(one, new Function(1, 1, false));
    }
    for (String exp :
        List.of(
            "mad_over_time",
            "ts_of_max_over_time",
            "ts_of_min_over_time",
            "ts_of_last_over_time")) {
      f.put(exp, new Function(1, 1, true));
    }
    // An optional argument: the time to take the calendar field of (default: the evaluation time).
    for (String cal :
        List.of(
            "days_in_month",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "hour",
            "minute",
            "month",
            "year")) {
      f.put(cal, new Function(0, 1, false));
    }
    f.put("pi", new Function(0, 0, false));
    f.put("time", new Function(0, 0, false));
    f.put("clamp", new Function(3, 3, false));
    f.put("clamp_max", new Function(2, 2, false));
    f.put("clamp_min", new Function(2, 2, false));
    f.put("histogram_fraction", new Function(3, 3, false));
    f.put("histogram_quantile", new Function(2, 2, false));
    f.put("double_exponential_smoothing", new Function(3, 3, true));
    f.put("info", new Function(1, 2, true));
    f.put("label_replace", new Function(5, 5, false));
    f.put("label_join", new Function(3, -1, false));
    f.put("predict_linear", new Function(2, 2, false));
    f.put("quantile_over_time", new Function(2, 2, false));
    f.put("round", new Function(1, 2, false));
    f.put("sort_by_label", new Function(1, -1, true));
    f.put("sort_by_label_desc", new Function(1, -1, true));
    return Map.copyOf(f);
  }

  /** Aggregation operators; the ones with a parameter before the expression take two arguments. */
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
          "count_values",
          "quantile",
          "limitk",
          "limit_ratio");

  private static final Set<String> AGGREGATIONS_WITH_PARAMETER =
      Set.of("topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio");

  /** Every keyword of the lexer; matched without regard to case, as Prometheus does. */
  private static final Set<String> KEYWORDS;

  static {
    java.util.HashSet<String> k = new java.util.HashSet<>(AGGREGATIONS);
    k.addAll(
        List.of(
            "and",
            "or",
            "unless",
            "atan2",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "start",
            "end"));
    KEYWORDS = Set.copyOf(k);
  }

  /** A syntax error, with its offset in the expression. */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int offset;

    SyntaxError(int offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }

  private enum T {
    NUMBER,
    DURATION,
    STRING,
    IDENT,
    METRIC_IDENT,
    KEYWORD,
    LPAREN,
    RPAREN,
    LBRACE,
    RBRACE,
    LBRACKET,
    RBRACKET,
    COMMA,
    COLON,
    OP,
    MATCH_OP,
    AT,
    EOF
  }

  private record Token(T type, String text, int offset) {
    boolean is(T t, String s) {
      return type == t && text.equals(s);
    }

    boolean keyword(String k) {
      return type == T.KEYWORD && text.equalsIgnoreCase(k);
    }

    String describe() {
      return type == T.EOF ? "end of input" : "'" + text + "'";
    }
  }

  /**
   * The first syntax error of {@code expr} as "line L, column C: what" (1-based, within the
   * expression), or null when it reads as PromQL.
   */
  static String problem(String expr) {
    try {
      List<Token> tokens = new Lexer(expr).tokens();
      new Parser(tokens).parseAll();
      return null;
    } catch (SyntaxError e) {
      return at(expr, e.offset) + ": " + e.getMessage();
    }
  }

  private static String at(String expr, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < expr.length(); i++) {
      if (expr.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return "line " + line + ", column " + column;
  }

  // ------------------------------------------------------------------------------- lexer

  private static final class Lexer {
    private final String s;
    private int pos;
    private final List<Token> out = new ArrayList<>();
    private boolean inBraces;
    private boolean inBrackets;

    Lexer(String s) {
      this.s = s;
    }

    private static boolean alpha(char c) {
      return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    private char peek(int ahead) {
      int i = pos + ahead;
      return i < s.length() ? s.charAt(i) : '\0';
    }

    List<Token> tokens() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        int start = pos;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else if (c == '#') {
          while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
            pos++;
          }
        } else if (c == '"' || c == '\'') {
          string(c);
          out.add(new Token(T.STRING, s.substring(start, pos), start));
        } else if (c == '`') {
          int end = s.indexOf('`', pos + 1);
          if (end < 0) {
            throw new SyntaxError(start, "unterminated raw string");
          }
          pos = end + 1;
          out.add(new Token(T.STRING, s.substring(start, pos), start));
        } else if (digit(c) || c == '.' && digit(peek(1))) {
          numberOrDuration();
        } else if (alpha(c) || c == ':' && !inBrackets && !inBraces) {
          word();
        } else {
          punctuation(c);
        }
      }
      if (inBraces) {
        throw new SyntaxError(s.length(), "unexpected end of input inside braces");
      }
      if (inBrackets) {
        throw new SyntaxError(s.length(), "unclosed left bracket");
      }
      out.add(new Token(T.EOF, "", s.length()));
      return out;
    }

    private void string(char quote) {
      int start = pos++;
      while (true) {
        if (pos >= s.length() || s.charAt(pos) == '\n') {
          throw new SyntaxError(start, "unterminated quoted string");
        }
        char c = s.charAt(pos++);
        if (c == quote) {
          return;
        }
        if (c == '\\') {
          escape(start);
        }
      }
    }

    /** Go's string escapes, as the Prometheus lexer accepts them. */
    private void escape(int stringStart) {
      if (pos >= s.length()) {
        throw new SyntaxError(stringStart, "escape sequence not terminated");
      }
      char c = s.charAt(pos++);
      int digits;
      int base;
      switch (c) {
        case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '"', '\'' -> {
          if ((c == '"' || c == '\'') && c != s.charAt(stringStart)) {
            throw new SyntaxError(pos - 2, "unknown escape sequence \\" + c);
          }
          return;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          digits = 2;
          base = 8;
        }
        case 'x' -> {
          digits = 2;
          base = 16;
        }
        case 'u' -> {
          digits = 4;
          base = 16;
        }
        case 'U' -> {
          digits = 8;
          base = 16;
        }
        default -> throw new SyntaxError(pos - 2, "unknown escape sequence \\" + c);
      }
      long value = base == 8 ? c - '0' : 0;
      for (int i = 0; i < digits; i++) {
        int d = pos < s.length() ? Character.digit(s.charAt(pos), base) : -1;
        if (d < 0) {
          throw new SyntaxError(pos, "illegal character in escape sequence");
        }
        value = value * base + d;
        pos++;
      }
      long max = c == 'u' || c == 'U' ? Character.MAX_CODE_POINT : 255;
      if (value > max || value >= 0xD800 && value < 0xE000) {
        throw new SyntaxError(pos - 1, "escape sequence is an invalid Unicode code point");
      }
    }

    private void numberOrDuration() {
      int start = pos;
      if (scanNumber()) {
        out.add(new Token(T.NUMBER, s.substring(start, pos), start));
        return;
      }
      // A duration: digits and units, y w d h m s ms, each unit once and in that order.
      pos = start;
      int lastUnit = -1;
      List<String> units = List.of("y", "w", "d", "h", "m", "s", "ms");
      while (pos < s.length() && digit(s.charAt(pos))) {
        while (pos < s.length() && digit(s.charAt(pos))) {
          pos++;
        }
        String unit = peek(0) == 'm' && peek(1) == 's' ? "ms" : String.valueOf(peek(0));
        int u = units.indexOf(unit);
        if (u < 0) {
          throw new SyntaxError(
              start,
              "bad number or duration syntax: \""
                  + s.substring(start, Math.min(pos + 1, s.length()))
                  + "\"");
        }
        if (u <= lastUnit) {
          throw new SyntaxError(
              start,
              "not a valid duration string: \"" + s.substring(start, pos + unit.length()) + "\"");
        }
        lastUnit = u;
        pos += unit.length();
      }
      if (pos == start || pos < s.length() && (alpha(s.charAt(pos)) || digit(s.charAt(pos)))) {
        throw new SyntaxError(
            start,
            "bad number or duration syntax: \""
                + s.substring(start, Math.min(s.length(), Math.max(pos, start) + 1))
                + "\"");
      }
      out.add(new Token(T.DURATION, s.substring(start, pos), start));
    }

    private boolean is(String set) {
      return pos < s.length() && set.indexOf(s.charAt(pos)) >= 0;
    }

    private boolean accept(String set) {
      if (is(set)) {
        pos++;
        return true;
      }
      return false;
    }

    /**
     * The lexer's number scan: decimal, hexadecimal, fractions, exponents, underscores between
     * digits.
     */
    private boolean scanNumber() {
      int initial = pos;
      String digits = "0123456789";
      if (accept("0") && accept("xX")) {
        accept("_");
        digits = "0123456789abcdefABCDEF";
      }
      accept(".");
      accept(digits);
      boolean dot = false;
      boolean exponent = false;
      while (is(digits + "._eE")) {
        if (is(".")) {
          if (dot || digits.length() > 10) {
            return false;
          }
          pos++;
          dot = true;
          if (is("_.")) {
            return false;
          }
          continue;
        }
        if (is("eE") && digits.length() == 10) {
          if (exponent) {
            return false;
          }
          pos++;
          exponent = true;
          accept("+-");
          if (is("._eE") || pos >= s.length()) {
            return false;
          }
          continue;
        }
        if (accept("_")) {
          if (is("._eE") || pos >= s.length()) {
            return false;
          }
          continue;
        }
        while (is(digits)) {
          pos++;
        }
      }
      if (pos == initial) {
        return false;
      }
      return pos >= s.length() || !(alpha(s.charAt(pos)) || digit(s.charAt(pos)));
    }

    private void word() {
      int start = pos;
      boolean colon = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (alpha(c) || digit(c) || c == ':' && !inBraces) {
          colon |= c == ':';
          pos++;
        } else {
          break;
        }
      }
      String w = s.substring(start, pos);
      String lower = w.toLowerCase(Locale.ROOT);
      if (inBraces) {
        out.add(new Token(T.IDENT, w, start)); // inside braces keywords are label names
      } else if (KEYWORDS.contains(lower)) {
        out.add(new Token(T.KEYWORD, w, start));
      } else if (lower.equals("inf") || lower.equals("nan")) {
        out.add(new Token(T.NUMBER, w, start));
      } else {
        out.add(new Token(colon ? T.METRIC_IDENT : T.IDENT, w, start));
      }
    }

    private void punctuation(char c) {
      int start = pos++;
      String two = pos < s.length() ? s.substring(start, pos + 1) : String.valueOf(c);
      if (inBraces) {
        switch (c) {
          case ',' -> out.add(new Token(T.COMMA, ",", start));
          case '}' -> {
            inBraces = false;
            out.add(new Token(T.RBRACE, "}", start));
          }
          case '=' -> {
            if (two.equals("=~")) {
              pos++;
              out.add(new Token(T.MATCH_OP, "=~", start));
            } else {
              out.add(new Token(T.MATCH_OP, "=", start));
            }
          }
          case '!' -> {
            if (two.equals("!=") || two.equals("!~")) {
              pos++;
              out.add(new Token(T.MATCH_OP, two, start));
            } else {
              throw new SyntaxError(start, "unexpected character after '!' inside braces");
            }
          }
          default ->
              throw new SyntaxError(start, "unexpected character inside braces: '" + c + "'");
        }
        return;
      }
      switch (c) {
        case '(' -> out.add(new Token(T.LPAREN, "(", start));
        case ')' -> out.add(new Token(T.RPAREN, ")", start));
        case '{' -> {
          inBraces = true;
          out.add(new Token(T.LBRACE, "{", start));
        }
        case '}' -> throw new SyntaxError(start, "unexpected right brace");
        case '[' -> {
          if (inBrackets) {
            throw new SyntaxError(start, "unexpected left bracket");
          }
          inBrackets = true;
          out.add(new Token(T.LBRACKET, "[", start));
        }
        case ']' -> {
          if (!inBrackets) {
            throw new SyntaxError(start, "unexpected right bracket");
          }
          inBrackets = false;
          out.add(new Token(T.RBRACKET, "]", start));
        }
        case ',' -> out.add(new Token(T.COMMA, ",", start));
        case ':' -> out.add(new Token(T.COLON, ":", start));
        case '@' -> out.add(new Token(T.AT, "@", start));
        case '+', '-', '*', '/', '%', '^' -> out.add(new Token(T.OP, String.valueOf(c), start));
        case '=' -> {
          if (two.equals("==")) {
            pos++;
            out.add(new Token(T.OP, "==", start));
          } else if (two.equals("=~")) {
            throw new SyntaxError(start, "unexpected character after '=': '~'");
          } else {
            // A single '=' is only meaningful inside braces; the parser says where it went wrong.
            out.add(new Token(T.OP, "=", start));
          }
        }
        case '!' -> {
          if (!two.equals("!=")) {
            throw new SyntaxError(start, "unexpected character after '!'");
          }
          pos++;
          out.add(new Token(T.OP, "!=", start));
        }
        case '<', '>' -> {
          if (two.equals(c + "=")) {
            pos++;
            out.add(new Token(T.OP, two, start));
          } else {
            out.add(new Token(T.OP, String.valueOf(c), start));
          }
        }
        default -> throw new SyntaxError(start, "unexpected character: '" + printable(c) + "'");
      }
    }

    private static String printable(char c) {
      return c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
  }

  // ------------------------------------------------------------------------------ parser

  private static final Set<String> COMPARISONS = Set.of("==", "!=", ">", "<", ">=", "<=");

  /** Binary operator precedence, loosest first, as in the Prometheus grammar. */
  private static int precedence(Token t) {
    if (t.keyword("or")) {
      return 1;
    }
    if (t.keyword("and") || t.keyword("unless")) {
      return 2;
    }
    if (t.type == T.OP) {
      return switch (t.text) {
        case "==", "!=", ">", "<", ">=", "<=", "=" -> 3;
        case "+", "-" -> 4;
        case "*", "/", "%" -> 5;
        case "^" -> 7;
        default -> -1;
      };
    }
    if (t.keyword("atan2")) {
      return 5;
    }
    return -1;
  }

  private static final class Parser {
    private final List<Token> tokens;
    private int i;
    private int depth;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    private Token peek() {
      return tokens.get(i);
    }

    private Token next() {
      return tokens.get(i++);
    }

    private Token expect(T type, String what) {
      Token t = next();
      if (t.type != type) {
        throw new SyntaxError(t.offset, "unexpected " + t.describe() + ", expected " + what);
      }
      return t;
    }

    void parseAll() {
      if (peek().type == T.EOF) {
        throw new SyntaxError(0, "no expression found in input");
      }
      expression(0);
      Token t = peek();
      if (t.type != T.EOF) {
        throw new SyntaxError(
            t.offset, "unexpected " + t.describe() + " after a complete expression");
      }
    }

    private void enter(Token at) {
      if (++depth > MAX_DEPTH) {
        throw new SyntaxError(at.offset, "expression nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    /** Precedence climbing; {@code ^} is right-associative. */
    private void expression(int min) {
      enter(peek());
      unary();
      while (true) {
        Token op = peek();
        int p = precedence(op);
        if (p < 0 || p < min) {
          break;
        }
        if (op.type == T.OP && op.text.equals("=")) {
          throw new SyntaxError(op.offset, "unexpected '=' (comparison is '==')");
        }
        next();
        modifiers(op);
        expression(op.text.equals("^") ? p : p + 1);
      }
      depth--;
    }

    /** bool, on/ignoring (labels), group_left/group_right [(labels)] after a binary operator. */
    private void modifiers(Token op) {
      if (peek().keyword("bool")) {
        if (!(op.type == T.OP && COMPARISONS.contains(op.text))) {
          throw new SyntaxError(
              peek().offset, "bool modifier can only be used on comparison operators");
        }
        next();
      }
      if (peek().keyword("on") || peek().keyword("ignoring")) {
        next();
        labelList(true);
        if (peek().keyword("group_left") || peek().keyword("group_right")) {
          Token g = next();
          if (op.keyword("and") || op.keyword("or") || op.keyword("unless")) {
            throw new SyntaxError(
                g.offset, "no grouping allowed for \"" + op.text + "\" operation");
          }
          if (peek().type == T.LPAREN) {
            labelList(true);
          }
        }
      }
    }

    private void unary() {
      Token t = peek();
      if (t.type == T.OP && (t.text.equals("+") || t.text.equals("-"))) {
        next();
        // A unary operator binds like multiplication: -a^b is -(a^b), -a*b is (-a)*b.
        enter(t);
        unary();
        depth--;
        while (peek().type == T.OP && peek().text.equals("^")) {
          next();
          expression(7);
        }
        return;
      }
      postfix();
    }

    /** A primary followed by ranges, subqueries, offset and @ modifiers. */
    private void postfix() {
      boolean selector = primary();
      boolean modified = false;
      while (true) {
        Token t = peek();
        if (t.type == T.LBRACKET) {
          next();
          duration("range");
          boolean subquery = false;
          if (peek().type == T.COLON) {
            next();
            subquery = true;
            if (peek().type != T.RBRACKET) {
              duration("subquery step");
            }
          }
          Token close = next();
          if (close.type != T.RBRACKET) {
            throw new SyntaxError(
                close.offset, "unexpected " + close.describe() + " in a range, expected ']'");
          }
          if (!subquery && (!selector || modified)) {
            throw new SyntaxError(
                t.offset,
                !selector
                    ? "ranges only allowed for vector selectors (a subquery needs a step: [5m:1m] or [5m:])"
                    : "no offset or @ modifiers allowed before a range");
          }
          selector = false;
          modified = false;
        } else if (t.keyword("offset")) {
          next();
          if (peek().type == T.OP && (peek().text.equals("-") || peek().text.equals("+"))) {
            next();
          }
          duration("offset");
          modified = true;
        } else if (t.type == T.AT) {
          next();
          Token v = next();
          if (v.type == T.OP && (v.text.equals("-") || v.text.equals("+"))) {
            v = next();
          }
          if (v.keyword("start") || v.keyword("end")) {
            expect(T.LPAREN, "'(' after " + v.text);
            expect(T.RPAREN, "')'");
          } else if (v.type != T.NUMBER) {
            throw new SyntaxError(
                v.offset,
                "unexpected " + v.describe() + " after @, expected a timestamp, start() or end()");
          }
          modified = true;
        } else {
          return;
        }
      }
    }

    private void duration(String what) {
      Token d = next();
      if (d.type != T.DURATION && d.type != T.NUMBER) {
        throw new SyntaxError(
            d.offset, "unexpected " + d.describe() + ", expected a duration for the " + what);
      }
    }

    /** Returns whether the primary is a vector selector (which a range may follow). */
    private boolean primary() {
      Token t = next();
      switch (t.type) {
        case NUMBER, DURATION, STRING -> {
          return false;
        }
        case LPAREN -> {
          expression(0);
          Token close = next();
          if (close.type != T.RPAREN) {
            throw new SyntaxError(
                close.offset,
                close.type == T.EOF
                    ? "unclosed left parenthesis"
                    : "unexpected " + close.describe() + ", expected ')'");
          }
          return false;
        }
        case LBRACE -> {
          matchers(t);
          return true;
        }
        case METRIC_IDENT -> {
          if (peek().type == T.LPAREN) {
            throw new SyntaxError(t.offset, "unknown function with name \"" + t.text + "\"");
          }
          if (peek().type == T.LBRACE) {
            matchers(next());
          }
          return true;
        }
        case IDENT -> {
          if (peek().type == T.LPAREN) {
            call(t);
            return false;
          }
          if (peek().type == T.LBRACE) {
            matchers(next());
          }
          return true;
        }
        case KEYWORD -> {
          String k = t.text.toLowerCase(Locale.ROOT);
          if (AGGREGATIONS.contains(k)) {
            if (peek().type == T.LPAREN || peek().keyword("by") || peek().keyword("without")) {
              aggregation(t, k);
              return false;
            }
            // An aggregation's name alone is a metric name.
            if (peek().type == T.LBRACE) {
              matchers(next());
            }
            return true;
          }
          // The grammar lets other keywords (offset, by, on, ...) name a metric too.
          if (peek().type == T.LBRACE) {
            matchers(next());
          }
          return true;
        }
        case RPAREN -> throw new SyntaxError(t.offset, "unexpected right parenthesis ')'");
        case EOF -> throw new SyntaxError(t.offset, "unexpected end of input");
        default -> throw new SyntaxError(t.offset, "unexpected " + t.describe());
      }
    }

    private void call(Token name) {
      Function f = FUNCTIONS.get(name.text);
      if (f == null) {
        throw new SyntaxError(name.offset, "unknown function with name \"" + name.text + "\"");
      }
      int n = arguments();
      if (n < f.min() || f.max() >= 0 && n > f.max()) {
        String expected =
            f.min() == f.max()
                ? String.valueOf(f.min())
                : f.max() < 0 ? "at least " + f.min() : f.min() + " to " + f.max();
        throw new SyntaxError(
            name.offset,
            "expected " + expected + " argument(s) in call to \"" + name.text + "\", got " + n);
      }
    }

    /** ( expr, expr, ... [,] ): how many arguments. */
    private int arguments() {
      Token open = expect(T.LPAREN, "'('");
      int n = 0;
      if (peek().type == T.RPAREN) {
        next();
        return 0;
      }
      while (true) {
        expression(0);
        n++;
        Token t = next();
        if (t.type == T.RPAREN) {
          return n;
        }
        if (t.type != T.COMMA) {
          throw new SyntaxError(
              t.type == T.EOF ? open.offset : t.offset,
              t.type == T.EOF
                  ? "unclosed left parenthesis"
                  : "unexpected " + t.describe() + " in an argument list, expected ',' or ')'");
        }
        if (peek().type == T.RPAREN) {
          next();
          return n;
        }
      }
    }

    private void aggregation(Token op, String name) {
      boolean grouped = false;
      if (peek().keyword("by") || peek().keyword("without")) {
        next();
        labelList(false);
        grouped = true;
      }
      Token at = peek();
      int n = arguments();
      int wanted = AGGREGATIONS_WITH_PARAMETER.contains(name) ? 2 : 1;
      if (n != wanted) {
        throw new SyntaxError(
            at.offset,
            "wrong number of arguments for aggregate expression provided, expected "
                + wanted
                + ", got "
                + n);
      }
      if (peek().keyword("by") || peek().keyword("without")) {
        Token again = next();
        if (grouped) {
          throw new SyntaxError(
              again.offset,
              "unexpected " + again.describe() + ": the aggregation is already grouped");
        }
        labelList(false);
      }
    }

    /** ( label, label, ... [,] ): label names, quoted names allowed. */
    private void labelList(boolean afterOperator) {
      Token open = next();
      if (open.type != T.LPAREN) {
        throw new SyntaxError(
            open.offset, "unexpected " + open.describe() + ", expected '(' and a list of labels");
      }
      if (peek().type == T.RPAREN) {
        next();
        return;
      }
      while (true) {
        Token l = next();
        boolean name =
            l.type == T.IDENT
                || l.type == T.KEYWORD
                || l.type == T.STRING
                || l.type == T.NUMBER && Character.isLetter(l.text.charAt(0)); // inf, nan
        if (!name) {
          throw new SyntaxError(
              l.offset, "unexpected " + l.describe() + " in a label list, expected a label name");
        }
        Token t = next();
        if (t.type == T.RPAREN) {
          return;
        }
        if (t.type != T.COMMA) {
          throw new SyntaxError(
              t.offset, "unexpected " + t.describe() + " in a label list, expected ',' or ')'");
        }
        if (peek().type == T.RPAREN) {
          next();
          return;
        }
      }
    }

    /** { name op "value", "quoted name", ... [,] }: the opening brace is consumed. */
    private void matchers(Token open) {
      if (peek().type == T.RBRACE) {
        next();
        return;
      }
      while (true) {
        Token name = next();
        if (name.type == T.STRING) {
          if (peek().type == T.MATCH_OP) {
            next();
            expect(T.STRING, "a quoted label value");
          }
          // else: a quoted metric name
        } else if (name.type == T.IDENT) {
          Token op = next();
          if (op.type != T.MATCH_OP) {
            throw new SyntaxError(
                op.offset,
                "unexpected "
                    + op.describe()
                    + " in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
          }
          Token value = next();
          if (value.type != T.STRING) {
            throw new SyntaxError(
                value.offset,
                "unexpected " + value.describe() + " in label matching, expected a quoted string");
          }
        } else {
          throw new SyntaxError(
              name.offset,
              "unexpected " + name.describe() + " in label matching, expected a label name");
        }
        Token t = next();
        if (t.type == T.RBRACE) {
          return;
        }
        if (t.type != T.COMMA) {
          throw new SyntaxError(
              t.offset, "unexpected " + t.describe() + " in label matching, expected ',' or '}'");
        }
        if (peek().type == T.RBRACE) {
          next();
          return;
        }
      }
    }
  }
}
