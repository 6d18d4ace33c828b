package dev.vigil.spec.bind;

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
  private static final Pattern SECRET_KEY_LINE =
      Pattern.compile(
          "(?i)^\\s*(-\\s*)?[\"']?[\\w.-]*"
              + "(password|passwd|secret|token|apikey|credential|privatekey)"
              + "[\\w.-]*[\"']?\\s*:.*");

  private final Map<String, Position> positions = new HashMap<>();
  private final Position document;
  private final List<String> files;
  private final Map<String, List<String>> lines = new HashMap<>();
  private final Set<String> hidden = new HashSet<>();

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
    for (int l = fromLine; l <= toLine; l++) {
      hidden.add(file + ":" + l);
    }
  }

  /**
   * The source line of a problem with a caret under its column, as compilers show it, or the empty
   * string when the line is unknown or may hold a secret:
   *
   * <pre>
   *  12 |       size: 10 GB
   *     |             ^
   * </pre>
   */
  public String excerpt(Problem problem) {
    List<String> text = lines.get(problem.file());
    if (text == null
        || problem.line() > text.size()
        || hidden.contains(problem.file() + ":" + problem.line())) {
      return "";
    }
    String line = text.get(problem.line() - 1);
    if (SECRET_KEY_LINE.matcher(line).matches()) {
      return "";
    }
    String number = String.valueOf(problem.line());
    // Keep tabs so the caret lines up however the terminal expands them.
    String lead =
        line.substring(0, Math.min(problem.column() - 1, line.length())).replaceAll("[^\t]", " ");
    return " " + number + " | " + line + "\n " + " ".repeat(number.length()) + " | " + lead + "^";
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
