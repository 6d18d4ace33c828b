package dev.vigil.spec.bind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /** Reads a UTF-8 YAML file; the source is named by the path as given. */
  public static Source read(Path path) {
    try {
      return new Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return kind == Kind.SET ? SET_NAME + " " + text : name + " (" + text.length() + " chars)";
  }
}
