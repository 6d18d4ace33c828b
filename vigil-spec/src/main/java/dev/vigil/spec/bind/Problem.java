package dev.vigil.spec.bind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.base.input.InputFiles;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One located error in a spec: the file it was found in, a 1-based line and column, the field path
 * ({@code components.prometheus.retention.size}, {@code nodes[1].mac}; empty for the document
 * itself) and a message that says what was expected.
 *
 * <p>Messages quote values through {@link Excerpts}; as a safety net for checks that do not, every
 * part of a problem is made printable and cut to a bounded length here, so no spec can make a
 * problem forge lines in a terminal or grow without bound.
 */
public record Problem(String file, int line, int column, String path, String message)
    implements Comparable<Problem> {

  private static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column)
          .thenComparing(Problem::path)
          .thenComparing(Problem::message);

  /** The most problems a report lists; the rest are counted. */
  public static final int MAX_REPORTED = 100;

  static final int MAX_FILE = 512;
  static final int MAX_PATH = 200;
  static final int MAX_MESSAGE = 1000;

  public Problem {
    file = InputFiles.printable(Objects.requireNonNull(file, "file"), MAX_FILE);
    path = InputFiles.printable(Objects.requireNonNull(path, "path"), MAX_PATH);
    message = InputFiles.printable(Objects.requireNonNull(message, "message"), MAX_MESSAGE);
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** A problem at a position. */
  public static Problem at(Position position, String path, String message) {
    return new Problem(position.file(), position.line(), position.column(), path, message);
  }

  public Position position() {
    return new Position(file, line, column);
  }

  /**
   * Problems as a JSON array of {@code {"file", "line", "column", "path", "message"}} objects, for
   * editors and CI annotations.
   */
  public static String toJson(List<Problem> problems) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Problem p : problems) {
      ObjectNode o = array.addObject();
      o.put("file", p.file());
      o.put("line", p.line());
      o.put("column", p.column());
      o.put("path", p.path());
      o.put("message", p.message());
    }
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first {@link #MAX_REPORTED} problems, each as {@code each} formats it, one after another on
   * lines of their own, then "and N more problems" when there are more.
   */
  public static String listing(List<Problem> problems, Function<Problem, String> each) {
    StringBuilder sb = new StringBuilder();
    int shown = Math.min(problems.size(), MAX_REPORTED);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(each.apply(problems.get(i)));
    }
    int more = problems.size() - shown;
    if (more > 0) {
      sb.append("\nand ").append(more).append(more == 1 ? " more problem" : " more problems");
    }
    return sb.toString();
  }

  @Override
  public int compareTo(Problem o) {
    return ORDER.compare(this, o);
  }

  /** {@code vigil.yaml:12:7: components.prometheus.retention.size: expected ..., got '10 GB'}. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
