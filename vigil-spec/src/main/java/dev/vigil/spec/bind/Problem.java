package dev.vigil.spec.bind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One located error in a spec: the file it was found in, a 1-based line and column, the field path
 * ({@code components.prometheus.retention.size}, {@code nodes[1].mac}; empty for the document
 * itself) and a message that says what was expected.
 */
public record Problem(String file, int line, int column, String path, String message)
    implements Comparable<Problem> {

  private static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column)
          .thenComparing(Problem::path)
          .thenComparing(Problem::message);

  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
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
