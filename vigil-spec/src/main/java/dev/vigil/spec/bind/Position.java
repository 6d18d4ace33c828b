package dev.vigil.spec.bind;

import java.util.Objects;
import org.snakeyaml.engine.v2.exceptions.Mark;

/** A place in a spec file; line and column are 1-based. */
public record Position(String file, int line, int column) {
  public Position {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** The start of a file, for problems that have no better place (an empty document). */
  public static Position startOf(String file) {
    return new Position(file, 1, 1);
  }

  /** Converts snakeyaml's 0-based mark. */
  public static Position of(Mark mark) {
    return new Position(mark.getName(), mark.getLine() + 1, mark.getColumn() + 1);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
