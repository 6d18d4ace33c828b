package dev.vigil.lint;

/** A file that could not be read or parsed; {@code line} is 0 when unknown. */
public record InputError(String source, int line, String message) {
  @Override
  public String toString() {
    return source + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
