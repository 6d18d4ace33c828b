package dev.vigil.spec.bind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The text of one spec document and the name errors will give it (usually the path as the user
 * wrote it on the command line, e.g. {@code vigil.yaml} or {@code environments/dev.yaml}).
 */
public record Source(String name, String text) {
  public Source {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }

  /** Reads a UTF-8 file; the source is named by the path as given. */
  public static Source read(Path path) {
    try {
      return new Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name + " (" + text.length() + " chars)";
  }
}
