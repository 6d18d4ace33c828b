package dev.vigil.spec.bind;

import dev.vigil.base.input.InputFiles;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One spec input and the name errors will give it: a YAML document (usually named by the path as
 * the user wrote it, e.g. {@code vigil.yaml} or {@code environments/dev.yaml}), or a single {@code
 * --set path=value} assignment made with {@link #set}.
 */
public record Source(String name, String text, Kind kind) {
  /** How the text is read. */
  public enum Kind {
    /** A YAML document. */
    YAML,
    /**
     * {@code dotted.path=value}: the value is read as YAML (so {@code 2} is an integer, {@code [a,
     * b]} a list, {@code ~} deletes the key) and set at the path, as if written in an overlay.
     */
    SET
  }

  /**
   * The largest source read, in bytes of UTF-8: a file over it is not read, a text over it is not
   * parsed. Far above any real station, far below what could exhaust memory or time.
   */
  public static final int MAX_BYTES = 4 << 20;

  /** The name of every {@code --set} source in problems; columns count within the assignment. */
  public static final String SET_NAME = "--set";

  public Source {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
  }

  /** A YAML document. */
  public Source(String name, String text) {
    this(name, text, Kind.YAML);
  }

  /** A {@code path=value} assignment, e.g. {@code components.grafana.replicas=2}. */
  public static Source set(String assignment) {
    return new Source(SET_NAME, assignment, Kind.SET);
  }

  /**
   * Reads a UTF-8 YAML file of at most {@link #MAX_BYTES}; the source is named by the path as
   * given.
   *
   * @throws dev.vigil.base.input.InputException when it is not a regular file, too large, or not
   *     UTF-8 (located at the first bad byte)
   */
  public static Source read(Path path) {
    return new Source(InputFiles.display(path), InputFiles.readText(path, MAX_BYTES));
  }

  @Override
  public String toString() {
    return kind == Kind.SET
        ? SET_NAME + " " + Excerpts.of(text)
        : name + " (" + text.length() + " chars)";
  }
}
