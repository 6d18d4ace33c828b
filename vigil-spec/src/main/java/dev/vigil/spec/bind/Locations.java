package dev.vigil.spec.bind;

import dev.vigil.base.input.InputFiles;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where each field of a bound spec was written, by path ({@code components.prometheus.replicas},
 * {@code nodes[2].name}, {@code labels["app.kubernetes.io/name"]}; the empty path is the document).
 * A scalar field is located at its value, a mapping or sequence field at its key, a sequence item
 * at its first character.
 *
 * <p>Callers that check rules across the whole spec use {@link #problemAt} so their errors are
 * located like the binder's own. A path that was not written (a defaulted or absent field) falls
 * back to its nearest written ancestor.
 */
public final class Locations {
  private static final Pattern SECRET_WORD =
      Pattern.compile("(?i)password|passwd|secret|token|apikey|credential|privatekey");

  /** Characters of a source line an excerpt shows on either side of the column. */
  static final int EXCERPT_SIDE = 60;

  private final Map<String, Position> positions = new HashMap<>();
  private final Position document;
  private final List<String> files;
  private final Map<String, List<String>> lines = new HashMap<>();
  private final Set<Hidden> hidden = new HashSet<>();

  /**
   * Lines {@code from} to {@code to} of a file; aliases hide the same range many times, kept once.
   */
  private record Hidden(String file, int from, int to) {}

  Locations(Position document, List<String> files) {
    this.document = Objects.requireNonNull(document);
    this.files = List.copyOf(files);
    positions.put("", document);
  }

  /** The names of the sources, base first, in the order problems are sorted by. */
  public List<String> files() {
    return files;
  }

  /** Keeps a YAML source's lines for {@link #excerpt}. */
  void addSource(Source source) {
    if (source.kind() == Source.Kind.YAML) {
      lines.putIfAbsent(source.name(), source.text().lines().toList());
    }
  }

  /** Lines that hold (or may hold) a secret: never shown in an excerpt. */
  void hide(String file, int fromLine, int toLine) {
    hidden.add(new Hidden(file, fromLine, toLine));
  }

  private boolean isHidden(String file, int line) {
    for (Hidden h : hidden) {
      if (h.file().equals(file) && h.from() <= line && line <= h.to()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The source line of a problem with a caret under its column, as compilers show it, or the empty
   * string when the line is unknown or may hold a secret:
   *
   * <pre>
   *  12 |       size: 10 GB
   *     |             ^
   * </pre>
   *
   * A long line is cut to {@value #EXCERPT_SIDE} characters on either side of the column, marked
   * {@code ...}, and control characters other than tabs are escaped, so an excerpt is one short,
   * printable line whatever the file holds.
   */
  public String excerpt(Problem problem) {
    List<String> text = lines.get(problem.file());
    if (text == null || problem.line() > text.size() || isHidden(problem.file(), problem.line())) {
      return "";
    }
    String line = text.get(problem.line() - 1);
    if (holdsSecret(line)) {
      return "";
    }
    int column = Math.min(problem.column() - 1, line.length());
    int from = Math.max(0, column - EXCERPT_SIDE);
    int to = Math.min(line.length(), column + EXCERPT_SIDE);
    StringBuilder shown = new StringBuilder(from > 0 ? "..." : "");
    StringBuilder lead = new StringBuilder(from > 0 ? "   " : "");
    for (int i = from; i < to; i++) {
      char c = line.charAt(i);
      String printed = c == '\t' ? "\t" : InputFiles.printable(String.valueOf(c), 8);
      shown.append(printed);
      if (i < column) {
        // Keep tabs so the caret lines up however the terminal expands them.
        lead.append(c == '\t' ? "\t" : " ".repeat(printed.length()));
      }
    }
    if (to < line.length()) {
      shown.append("...");
    }
    String number = String.valueOf(problem.line());
    return " " + number + " | " + shown + "\n " + " ".repeat(number.length()) + " | " + lead + "^";
  }

  /**
   * A line whose key names a secret ({@code password: ...}, {@code - apiToken: ...}), found without
   * a regular expression that could backtrack over a long line.
   */
  static boolean holdsSecret(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    if (i < n && line.charAt(i) == '-') {
      i++;
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
    }
    if (i < n && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
      i++;
    }
    int start = i;
    while (i < n && isKeyChar(line.charAt(i))) {
      i++;
    }
    String key = line.substring(start, i);
    if (i < n && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
      i++;
    }
    while (i < n && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i < n && line.charAt(i) == ':' && SECRET_WORD.matcher(key).find();
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
  }

  void put(String path, Position position) {
    positions.putIfAbsent(path, position);
  }

  /** True if the path was written in a source (not merely defaulted). */
  public boolean isWritten(String path) {
    return positions.containsKey(path);
  }

  /** The position of the path, or of its nearest written ancestor. */
  public Position positionOf(String path) {
    String p = path;
    while (true) {
      Position found = positions.get(p);
      if (found != null) {
        return found;
      }
      if (p.isEmpty()) {
        return document;
      }
      p = Paths.parent(p);
    }
  }

  /** A problem located at the path (or its nearest written ancestor). */
  public Problem problemAt(String path, String message) {
    return Problem.at(positionOf(path), path, message);
  }

  /** All written paths and their positions. */
  public Map<String, Position> asMap() {
    return Collections.unmodifiableMap(positions);
  }
}
