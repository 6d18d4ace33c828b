package dev.vigil.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader for the YAML that Kubernetes manifests are written in: block mappings and sequences,
 * single-line flow collections, plain and quoted one-line scalars, literal block scalars, comments
 * and {@code ---} separators. It builds the same maps, lists and line numbers as the full parser
 * ({@link Loader}) at a fraction of the cost. Anything else — anchors, tags, folded or multi-line
 * scalars, tabs, complex keys, duplicate keys, anything it is not sure of — throws {@link
 * Unsupported}, and the loader reads the whole text with the full parser instead, so what is
 * accepted here is exactly what the full parser would produce (checked by a differential test).
 */
final class FastYaml {
  /** The input uses YAML this reader leaves to the full parser. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  /** Turns a scalar's text into its value, as the full parser's resolver would. */
  interface Scalars {
    Object scalar(String text, boolean plain);

    /**
     * A plain scalar given as characters {@code from} to {@code to} of {@code cs}: the same value
     * as {@code scalar(new String(...), true)}, which an implementation may answer without a new
     * String for a spelling it has seen (keys and values repeat across thousands of objects).
     */
    default Object plain(char[] cs, int from, int to) {
      return scalar(new String(cs, from, to - from), true);
    }
  }

  /** One document: its root value and the line of its first node. */
  record Doc(Object root, int line) {}

  private final String text;

  /** The text's characters: indexing an array is cheaper than String.charAt on this path. */
  private final char[] cs;

  private final Scalars scalars;

  /** Maps and lists remember their line (the loader's), or are plain (a config's). */
  private final boolean located;

  /**
   * Start offset of every line, and text.length() + 1 at index {@link #lines}; longer than needed.
   */
  private final int[] starts;

  private final int[] flowCursor = new int[1];
  private final int lines;
  private int row;

  /** Collections open around the current node, bounded so the recursion cannot overflow. */
  private int depth;

  private static final dev.vigil.base.input.YamlLimits LIMITS = Loader.LIMITS;

  private FastYaml(String text, Scalars scalars, boolean located) {
    this.text = text;
    this.cs = text.toCharArray();
    this.scalars = scalars;
    this.located = located;
    // Manifest lines average some 30 characters: sized so that the array rarely grows.
    int[] s = new int[text.length() / 20 + 16];
    int n = 0;
    s[n++] = 0;
    for (int i = 0; i < cs.length; i++) {
      char c = cs[i];
      if (c >= 0x20 && c < 0x7F) {
        continue; // printable ASCII, nearly every character of a manifest
      }
      if (c == '\n') {
        if (n + 2 > s.length) {
          s = java.util.Arrays.copyOf(s, s.length * 2);
        }
        s[n++] = i + 1;
      } else if ((c < 0x20 && c != '\t')
          || (c >= 0x7F && c <= 0x9F)
          || c == '\u2028'
          || c == '\u2029'
          || c == '\uFEFF'
          || c >= '\uFFFE'
          || Character.isSurrogate(c)) {
        // Line ends other than LF, byte-order marks, non-printables and characters outside the
        // BMP: the full parser knows their rules.
        throw new Unsupported("character U+" + Integer.toHexString(c));
      }
    }
    if (n + 1 > s.length) {
      s = java.util.Arrays.copyOf(s, n + 1);
    }
    s[n++] = text.length() + 1;
    starts = s; // entries past n are never read: every index is below lines + 1
    lines = n - 1;
  }

  /** Documents as {@link Located} maps and lists, for the loader. */
  static List<Doc> parse(String text, Scalars scalars) {
    return new FastYaml(text, scalars, true).documents();
  }

  /** Documents as plain {@link java.util.LinkedHashMap}s and {@link ArrayList}s. */
  static List<Doc> parsePlain(String text, Scalars scalars) {
    return new FastYaml(text, scalars, false).documents();
  }

  /**
   * Every scalar passes here: one longer than the limit goes to the full parser, which reports it.
   */
  private Object scalar(String text, boolean plain) {
    if (text.length() > LIMITS.maxScalarLength()) {
      throw new Unsupported("scalar longer than the limit");
    }
    return scalars.scalar(text, plain);
  }

  /** A plain scalar from characters {@code from} to {@code to}, bounded like {@link #scalar}. */
  private Object plain(int from, int to) {
    if (to - from > LIMITS.maxScalarLength()) {
      throw new Unsupported("scalar longer than the limit");
    }
    return scalars.plain(cs, from, to);
  }

  private void enter() {
    if (++depth > LIMITS.maxDepth()) {
      throw new Unsupported("nesting deeper than the limit");
    }
  }

  // ---------------------------------------------------------- mappings under construction

  // A located mapping is read onto this stack, key and value after key and value, and becomes a
  // LineMap of exactly its size when it ends; a mapping nested in a value is read above its
  // parent's entries and gone from the stack before the parent goes on.
  private Object[] scratch = new Object[64];
  private int top;
  private static final String[] NO_KEYS = new String[0];
  private static final Object[] NO_VALUES = new Object[0];

  private void push(Object o) {
    if (top == scratch.length) {
      scratch = java.util.Arrays.copyOf(scratch, top * 2);
    }
    scratch[top++] = o;
  }

  /**
   * Whether the mapping whose entries start at {@code base} already has {@code key}: by a scan
   * while it is small, by {@code seen} (filled from the stack when it grows past 16 keys) after.
   */
  private java.util.Set<String> duplicateCheck(int base, String key, java.util.Set<String> seen) {
    if (seen == null) {
      for (int i = base; i < top; i += 2) {
        Object k = scratch[i];
        if (k == key || k.equals(key)) {
          throw new Unsupported("duplicate key"); // the full parser reports it
        }
      }
      if ((top - base) / 2 < 16) {
        return null;
      }
      seen = new java.util.HashSet<>();
      for (int i = base; i < top; i += 2) {
        seen.add((String) scratch[i]);
      }
    } else if (seen.contains(key)) {
      throw new Unsupported("duplicate key");
    }
    seen.add(key);
    return seen;
  }

  private Located.LineMap finishMap(int base, int line) {
    int n = (top - base) / 2;
    if (n == 0) {
      top = base;
      return new Located.LineMap(line, NO_KEYS, NO_VALUES);
    }
    String[] keys = new String[n];
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (String) scratch[base + 2 * i];
      values[i] = scratch[base + 2 * i + 1];
    }
    java.util.Arrays.fill(scratch, base, top, null);
    top = base;
    return new Located.LineMap(line, keys, values);
  }

  private void add(List<Object> list, Object item) {
    if (list == null) {
      push(item);
    } else {
      list.add(item);
    }
  }

  private Located.LineList finishList(int base, int line) {
    Located.LineList list = new Located.LineList(top - base, line);
    for (int i = base; i < top; i++) {
      list.add(scratch[i]);
    }
    java.util.Arrays.fill(scratch, base, top, null);
    top = base;
    return list;
  }

  private java.util.Map<String, Object> newMap(int r) {
    return located ? new Located.LineMap(4, r + 1) : new java.util.LinkedHashMap<>(8);
  }

  private List<Object> newList(int r) {
    return located ? new Located.LineList(2, r + 1) : new ArrayList<>(4);
  }

  // ------------------------------------------------------------------ lines

  private char at(int i) {
    return cs[i];
  }

  private int lineStart(int r) {
    return starts[r];
  }

  /** End of line r, excluding the newline. */
  private int lineEnd(int r) {
    return starts[r + 1] - 1;
  }

  private int indent(int r) {
    int i = lineStart(r);
    int end = lineEnd(r);
    while (i < end && at(i) == ' ') {
      i++;
    }
    if (i < end && at(i) == '\t') {
      throw new Unsupported("tab indentation");
    }
    return i - lineStart(r);
  }

  /** Blank or comment-only line. */
  private boolean empty(int r) {
    int i = lineStart(r) + indent(r);
    return i >= lineEnd(r) || at(i) == '#';
  }

  private int nextContent(int r) {
    while (r < lines && empty(r)) {
      r++;
    }
    return r;
  }

  private boolean startsWithAt(int pos, String s) {
    return text.startsWith(s, pos);
  }

  /** {@code ---} or {@code ---} followed by a space or comment: a document start. */
  private boolean documentStart(int r) {
    int s = lineStart(r);
    if (!startsWithAt(s, "---")) {
      return false;
    }
    int after = s + 3;
    if (after == lineEnd(r)) {
      return true;
    }
    char c = at(after);
    if (c != ' ' && c != '\t') {
      return false;
    }
    int i = skipSpaces(after, lineEnd(r));
    if (i < lineEnd(r) && at(i) != '#') {
      throw new Unsupported("content after ---");
    }
    return true;
  }

  private int skipSpaces(int i, int end) {
    while (i < end && at(i) == ' ') {
      i++;
    }
    return i;
  }

  // ------------------------------------------------------------------ documents

  private List<Doc> documents() {
    List<Doc> docs = new ArrayList<>();
    row = 0;
    boolean explicit = false;
    while (true) {
      int r = nextContent(row);
      if (r >= lines) {
        return docs;
      }
      int s = lineStart(r);
      if (at(s) == '%' || startsWithAt(s, "...")) {
        throw new Unsupported("directive or document end");
      }
      if (documentStart(r)) {
        row = r + 1;
        explicit = true;
        int next = nextContent(row);
        if (next >= lines || documentStart(next)) {
          continue; // empty document: no mapping, nothing to lint
        }
        r = next;
      } else if (!explicit && !docs.isEmpty()) {
        throw new Unsupported("content after a document");
      }
      if (indent(r) != 0) {
        throw new Unsupported("indented root");
      }
      row = r;
      Object root = block(r, lineStart(r), 0);
      if (docs.size() >= LIMITS.maxDocuments()) {
        throw new Unsupported("more documents than the limit");
      }
      docs.add(new Doc(root, r + 1));
      int after = nextContent(row);
      if (after < lines && !documentStart(after)) {
        throw new Unsupported("unexpected content at line " + (after + 1));
      }
      row = after;
    }
  }

  // ------------------------------------------------------------------ block nodes

  /**
   * The block node starting at {@code pos} on line {@code r}, whose column is {@code col}. Leaves
   * {@link #row} on the first line after the node.
   */
  private Object block(int r, int pos, int col) {
    if (isDash(pos, lineEnd(r))) {
      return sequence(r, col);
    }
    if (keyEnd(pos, lineEnd(r)) >= 0) {
      return mapping(r, col);
    }
    throw new Unsupported("block scalar node");
  }

  private boolean isDash(int pos, int end) {
    return at(pos) == '-' && (pos + 1 == end || at(pos + 1) == ' ');
  }

  /** A block sequence whose dashes are at column {@code col}, first one on line r. */
  private Object sequence(int r, int col) {
    enter();
    try {
      return sequenceAt(r, col);
    } finally {
      depth--;
    }
  }

  private Object sequenceAt(int r, int col) {
    List<Object> list = located ? null : newList(r);
    int base = top;
    int line = r + 1;
    while (true) {
      int dash = lineStart(r) + col;
      int end = lineEnd(r);
      int content = skipSpaces(dash + 1, end);
      if (content >= end || at(content) == '#') {
        add(list, nested(r, col));
      } else if (isDash(content, end)) {
        throw new Unsupported("nested sequence on one line");
      } else if (keyEnd(content, end) >= 0) {
        int itemCol = content - lineStart(r);
        add(list, mapping(r, itemCol));
      } else {
        row = r + 1;
        add(list, inlineValue(r, content, end, col));
      }
      r = nextContent(row);
      if (r >= lines
          || documentStart(r)
          || indent(r) != col
          || !isDash(lineStart(r) + col, lineEnd(r))) {
        if (r < lines && !documentStart(r) && indent(r) > col) {
          throw new Unsupported("over-indented line " + (r + 1));
        }
        row = r;
        return list == null ? finishList(base, line) : list;
      }
    }
  }

  /** The value of a key or dash with nothing after it on line r: a nested block or null. */
  private Object nested(int r, int col) {
    int next = nextContent(r + 1);
    if (next < lines && !documentStart(next)) {
      int ind = indent(next);
      int pos = lineStart(next) + ind;
      if (ind > col) {
        row = next;
        return block(next, pos, ind);
      }
    }
    row = r + 1;
    return scalar("", true);
  }

  /** A block mapping whose keys are at column {@code col}, first key on line r. */
  private Object mapping(int r, int col) {
    enter();
    try {
      return mappingAt(r, col);
    } finally {
      depth--;
    }
  }

  private Object mappingAt(int r, int col) {
    java.util.Map<String, Object> map = located ? null : newMap(r);
    int base = top;
    int line = r + 1;
    java.util.Set<String> seen = null;
    int pos = lineStart(r) + col;
    while (true) {
      int end = lineEnd(r);
      int colon = keyEnd(pos, end);
      if (colon < 0) {
        throw new Unsupported("not a key at line " + (r + 1));
      }
      String key = key(pos, colon);
      if (located) {
        seen = duplicateCheck(base, key, seen);
        push(key);
      } else if (map.containsKey(key)) {
        throw new Unsupported("duplicate key"); // the full parser reports it
      }
      int v = skipSpaces(colon + 1, end);
      Object value;
      if (v >= end || at(v) == '#') {
        // Nothing after the colon: a nested block, a sequence at the key's column, or null.
        int next = nextContent(r + 1);
        if (next < lines
            && !documentStart(next)
            && indent(next) == col
            && isDash(lineStart(next) + col, lineEnd(next))) {
          value = sequence(next, col);
        } else {
          value = nested(r, col);
        }
      } else {
        row = r + 1;
        value = inlineValue(r, v, end, col);
      }
      if (located) {
        push(value);
      } else {
        map.put(key, value);
      }
      r = nextContent(row);
      if (r >= lines || documentStart(r) || indent(r) != col) {
        if (r < lines && !documentStart(r) && indent(r) > col) {
          throw new Unsupported("over-indented line " + (r + 1));
        }
        row = r;
        return located ? finishMap(base, line) : map;
      }
      pos = lineStart(r) + col;
      if (isDash(pos, lineEnd(r))) {
        row = r;
        // a sequence at this column belongs to the enclosing mapping
        return located ? finishMap(base, line) : map;
      }
    }
  }

  /**
   * The offset of the ':' ending a simple key that starts at {@code pos}, or -1 when the line does
   * not start with a key. Plain keys end at ": " or at ':' ending the line.
   */
  private int keyEnd(int pos, int end) {
    char c = at(pos);
    if (c == '"' || c == '\'') {
      int close = quoteEnd(pos, end);
      if (close < 0) {
        return -1;
      }
      int after = close + 1;
      if (after < end && at(after) == ':' && (after + 1 == end || at(after + 1) == ' ')) {
        return after;
      }
      return -1;
    }
    if (!plainStart(pos, end)) {
      return -1;
    }
    for (int i = pos; i < end; i++) {
      char x = at(i);
      if (x == ':' && (i + 1 == end || at(i + 1) == ' ')) {
        return i;
      }
      if (x == '#' && at(i - 1) == ' ') {
        return -1;
      }
    }
    return -1;
  }

  private String key(int pos, int colon) {
    char c = at(pos);
    if (c == '"' || c == '\'') {
      return unquote(pos, quoteEnd(pos, colon));
    }
    int kEnd = trimEnd(pos, colon);
    if (kEnd == pos) {
      throw new Unsupported("empty key");
    }
    Object v = plain(pos, kEnd);
    if (!(v instanceof String)) {
      // Keys like 'true' or '8080' become strings through String.valueOf in the full loader;
      // leave such spellings to it.
      throw new Unsupported("non-string key");
    }
    return (String) v;
  }

  private int trimEnd(int from, int to) {
    while (to > from && at(to - 1) == ' ') {
      to--;
    }
    return to;
  }

  /** Can a plain scalar start here (block context)? */
  private boolean plainStart(int pos, int end) {
    char c = at(pos);
    switch (c) {
      case ',',
          '[',
          ']',
          '{',
          '}',
          '#',
          '&',
          '*',
          '!',
          '|',
          '>',
          '\'',
          '"',
          '%',
          '@',
          '`',
          '\t' -> {
        return false;
      }
      case '-', '?', ':' -> {
        return pos + 1 < end && at(pos + 1) != ' ';
      }
      default -> {
        return true;
      }
    }
  }

  /** A value that starts on the key's or dash's line at {@code v}. */
  private Object inlineValue(int r, int v, int end, int col) {
    char c = at(v);
    if (c == '|') {
      return literal(r, v, end, col);
    }
    if (c == '{' || c == '[') {
      // One cursor for every flow collection of the text: they are read one at a time, and a
      // nested one moves the same cursor.
      int[] at = flowCursor;
      at[0] = v;
      Object value = flow(at, end, r);
      requireRestEmpty(at[0], end);
      noContinuation(col);
      return value;
    }
    if (c == '"' || c == '\'') {
      int close = quoteEnd(v, end);
      if (close < 0) {
        throw new Unsupported("multi-line quoted scalar");
      }
      String s = unquote(v, close);
      requireRestEmpty(close + 1, end);
      noContinuation(col);
      return scalar(s, false);
    }
    if (!plainStart(v, end)) {
      throw new Unsupported("indicator '" + c + "'");
    }
    int stop = end;
    for (int i = v; i < end; i++) {
      char x = at(i);
      if (x == '#' && at(i - 1) == ' ') {
        stop = i;
        break;
      }
      if (x == ':' && (i + 1 == end || at(i + 1) == ' ')) {
        throw new Unsupported("': ' in a plain scalar");
      }
      if (x == '\t') {
        throw new Unsupported("tab");
      }
    }
    int sEnd = trimEnd(v, stop);
    noContinuation(col);
    return plain(v, sEnd);
  }

  /** A plain or quoted scalar may continue on more-indented lines: not read here. */
  private void noContinuation(int col) {
    int next = nextContent(row);
    if (next < lines && !documentStart(next) && indent(next) > col) {
      throw new Unsupported("continued scalar at line " + (next + 1));
    }
  }

  private void requireRestEmpty(int i, int end) {
    int j = skipSpaces(i, end);
    if (j < end && !(at(j) == '#' && j > i)) {
      throw new Unsupported("content after a value");
    }
  }

  // ------------------------------------------------------------------ literal block scalars

  /** {@code |}, {@code |-} or {@code |+}: the lines indented more than {@code col}. */
  private Object literal(int r, int v, int end, int col) {
    int i = v + 1;
    char chomp = ' ';
    if (i < end && (at(i) == '-' || at(i) == '+')) {
      chomp = at(i);
      i++;
    }
    int rest = skipSpaces(i, end);
    if (rest < end && !(at(rest) == '#' && rest > i)) {
      throw new Unsupported("block scalar header");
    }
    // Content indentation: the first non-blank line's. Blank lines before it must not be
    // longer than it (the full parser rejects that).
    int first = r + 1;
    int contentIndent = -1;
    int maxBlank = 0;
    int k = first;
    for (; k < lines; k++) {
      int ind = spaces(k);
      if (lineStart(k) + ind < lineEnd(k)) {
        contentIndent = ind;
        break;
      }
      maxBlank = Math.max(maxBlank, ind);
    }
    StringBuilder sb = new StringBuilder();
    int last = first;
    if (contentIndent > col) {
      if (maxBlank > contentIndent) {
        throw new Unsupported("blank line longer than the block's indentation");
      }
      for (k = first; k < lines; k++) {
        int ind = spaces(k);
        boolean blank = lineStart(k) + ind >= lineEnd(k);
        if (!blank && ind < contentIndent) {
          break;
        }
        if (!blank && documentStart(k) && contentIndent == 0) {
          break;
        }
        if (blank) {
          if (ind > contentIndent) {
            sb.append(text, lineStart(k) + contentIndent, lineEnd(k));
          }
        } else {
          sb.append(text, lineStart(k) + contentIndent, lineEnd(k));
        }
        sb.append('\n');
        last = k + 1;
      }
    } else {
      contentIndent = -1;
    }
    // Trailing blank lines belong to the scalar only under keep; the rows after the last
    // content line are re-read by the caller either way.
    int trailingBlank = 0;
    for (k = last; k < lines && spaces(k) + lineStart(k) >= lineEnd(k); k++) {
      trailingBlank++;
    }
    row = last;
    String body = sb.toString();
    if (contentIndent < 0) {
      // No content: clip and strip give "", keep gives the line breaks.
      if (chomp == '+') {
        throw new Unsupported("empty kept block scalar");
      }
      return scalar("", false);
    }
    switch (chomp) {
      case '-' -> body = stripBreaks(body);
      case '+' -> {
        if (trailingBlank > 0) {
          throw new Unsupported("kept trailing lines"); // depends on where the next node starts
        }
      }
      default -> body = stripBreaks(body) + (body.isEmpty() ? "" : "\n");
    }
    return scalar(body, false);
  }

  private int spaces(int r) {
    int i = lineStart(r);
    int end = lineEnd(r);
    while (i < end && at(i) == ' ') {
      i++;
    }
    if (i < end && at(i) == '\t' && i == lineStart(r)) {
      // A tab at the start of a block scalar line is content only past the indentation.
      throw new Unsupported("tab in block scalar indentation");
    }
    return i - lineStart(r);
  }

  private static String stripBreaks(String s) {
    int e = s.length();
    while (e > 0 && s.charAt(e - 1) == '\n') {
      e--;
    }
    return s.substring(0, e);
  }

  // ------------------------------------------------------------------ quoted scalars

  /** The closing quote of the scalar opening at {@code pos} on this line, or -1. */
  private int quoteEnd(int pos, int end) {
    char q = at(pos);
    for (int i = pos + 1; i < end; i++) {
      char c = at(i);
      if (q == '\'') {
        if (c == '\'') {
          if (i + 1 < end && at(i + 1) == '\'') {
            i++;
            continue;
          }
          return i;
        }
      } else {
        if (c == '\\') {
          i++;
          continue;
        }
        if (c == '"') {
          return i;
        }
      }
    }
    return -1;
  }

  private String unquote(int open, int close) {
    char q = at(open);
    StringBuilder sb = new StringBuilder(close - open);
    for (int i = open + 1; i < close; i++) {
      char c = at(i);
      if (c == '\t') {
        throw new Unsupported("tab in quoted scalar");
      }
      if (q == '\'') {
        sb.append(c);
        if (c == '\'') {
          i++;
        }
        continue;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = at(++i);
      switch (e) {
        case '\\' -> sb.append('\\');
        case '"' -> sb.append('"');
        case '/' -> sb.append('/');
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '0' -> sb.append('\0');
        case 'u' -> {
          if (i + 4 >= close) {
            throw new Unsupported("escape");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException x) {
            throw new Unsupported("escape");
          }
          i += 4;
        }
        default -> throw new Unsupported("escape \\" + e);
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ flow collections

  /** A flow collection starting at at[0], entirely on this line; advances at[0] past it. */
  private Object flow(int[] at, int end, int r) {
    enter();
    try {
      return flowAt(at, end, r);
    } finally {
      depth--;
    }
  }

  private Object flowAt(int[] at, int end, int r) {
    char open = at(at[0]);
    at[0]++;
    if (open == '[') {
      List<Object> list = located ? null : newList(r);
      int base = top;
      int line = r + 1;
      skipFlowSpaces(at, end);
      if (at[0] < end && at(at[0]) == ']') {
        at[0]++;
        return list == null ? finishList(base, line) : list;
      }
      while (true) {
        add(list, flowValue(at, end, r));
        skipFlowSpaces(at, end);
        char c = at[0] < end ? at(at[0]) : 0;
        at[0]++;
        if (c == ']') {
          return list == null ? finishList(base, line) : list;
        }
        if (c != ',') {
          throw new Unsupported("flow sequence");
        }
        skipFlowSpaces(at, end);
        if (at[0] < end && at(at[0]) == ']') {
          throw new Unsupported("trailing comma");
        }
      }
    }
    java.util.Map<String, Object> map = located ? null : newMap(r);
    int base = top;
    int line = r + 1;
    java.util.Set<String> seen = null;
    skipFlowSpaces(at, end);
    if (at[0] < end && at(at[0]) == '}') {
      at[0]++;
      return located ? finishMap(base, line) : map;
    }
    while (true) {
      int k = at[0];
      if (k >= end) {
        throw new Unsupported("unclosed flow mapping");
      }
      String key;
      char c0 = at(k);
      if (c0 == '"' || c0 == '\'') {
        int close = quoteEnd(k, end);
        if (close < 0) {
          throw new Unsupported("quoted key");
        }
        key = unquote(k, close);
        at[0] = close + 1;
      } else {
        int s = flowPlainEnd(k, end, true);
        int rawEnd = trimEnd(k, s);
        if (rawEnd == k) {
          throw new Unsupported("empty flow key");
        }
        Object v = plain(k, rawEnd);
        if (!(v instanceof String)) {
          throw new Unsupported("non-string key");
        }
        key = (String) v;
        at[0] = s;
      }
      skipFlowSpaces(at, end);
      if (at[0] >= end || at(at[0]) != ':') {
        throw new Unsupported("flow key without value");
      }
      at[0]++;
      if (at[0] < end && at(at[0]) != ' ' && c0 != '"' && c0 != '\'') {
        throw new Unsupported("adjacent value");
      }
      skipFlowSpaces(at, end);
      if (located) {
        seen = duplicateCheck(base, key, seen);
      } else if (map.containsKey(key)) {
        throw new Unsupported("duplicate key");
      }
      char n = at[0] < end ? at(at[0]) : 0;
      if (n == ',' || n == '}') {
        throw new Unsupported("empty flow value");
      }
      if (located) {
        push(key);
        push(flowValue(at, end, r));
      } else {
        map.put(key, flowValue(at, end, r));
      }
      skipFlowSpaces(at, end);
      char c = at[0] < end ? at(at[0]) : 0;
      at[0]++;
      if (c == '}') {
        return located ? finishMap(base, line) : map;
      }
      if (c != ',') {
        throw new Unsupported("flow mapping");
      }
      skipFlowSpaces(at, end);
      if (at[0] < end && at(at[0]) == '}') {
        throw new Unsupported("trailing comma");
      }
    }
  }

  private void skipFlowSpaces(int[] at, int end) {
    at[0] = skipSpaces(at[0], end);
  }

  private Object flowValue(int[] at, int end, int r) {
    if (at[0] >= end) {
      throw new Unsupported("unclosed flow collection");
    }
    char c = at(at[0]);
    if (c == '{' || c == '[') {
      return flow(at, end, r);
    }
    if (c == '"' || c == '\'') {
      int close = quoteEnd(at[0], end);
      if (close < 0) {
        throw new Unsupported("quoted flow scalar");
      }
      String s = unquote(at[0], close);
      at[0] = close + 1;
      return scalar(s, false);
    }
    if (c == ','
        || c == ']'
        || c == '}'
        || c == '#'
        || c == '&'
        || c == '*'
        || c == '!'
        || c == '|'
        || c == '>'
        || c == '%'
        || c == '@'
        || c == '`'
        || c == '?'
        || c == '-' && at[0] + 1 < end && at(at[0] + 1) == ' '
        || c == ':') {
      throw new Unsupported("flow indicator '" + c + "'");
    }
    int s = flowPlainEnd(at[0], end, false);
    int from = at[0];
    int rawEnd = trimEnd(from, s);
    at[0] = s;
    return plain(from, rawEnd);
  }

  /** End of a plain scalar in flow context: before ",[]{}", ": " or " #". */
  private int flowPlainEnd(int i, int end, boolean key) {
    for (; i < end; i++) {
      char c = at(i);
      if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') {
        if (c == '[' || c == '{') {
          throw new Unsupported("bracket in a flow scalar");
        }
        return i;
      }
      if (c == ':') {
        char n = i + 1 < end ? at(i + 1) : ' ';
        if (n == ' ') {
          return i;
        }
        if (n == ',' || n == '[' || n == ']' || n == '{' || n == '}') {
          throw new Unsupported("':' before a flow indicator");
        }
      }
      if (c == '#' && i > 0 && at(i - 1) == ' ') {
        throw new Unsupported("comment inside a flow collection");
      }
      if (c == '\t') {
        throw new Unsupported("tab");
      }
    }
    return i;
  }
}
