package dev.vigil.lint;

import dev.vigil.base.input.InputException;
import dev.vigil.base.input.InputFiles;

/**
 * A file that could not be read or parsed; {@code line} and {@code column} are 0 when unknown. The
 * source and message are printed with control characters escaped, so a file name cannot forge lines
 * in a terminal or a report.
 */
public record InputError(String source, int line, int column, String message) {
  public InputError(String source, int line, String message) {
    this(source, line, 0, message);
  }

  /** An input refused by a bound or a decoder, at the location it names after {@code source}. */
  static InputError of(String source, InputException e) {
    int line = 0;
    int column = 0;
    String where = e.where();
    if (where.startsWith(source) && where.length() > source.length()) {
      String[] parts = where.substring(source.length()).split(":");
      try {
        line = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        column = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
      } catch (NumberFormatException notALocation) {
        return new InputError(source, 0, 0, e.getMessage());
      }
    }
    return new InputError(source, line, column, e.reason());
  }

  @Override
  public String toString() {
    return InputFiles.printable(
        source
            + (line > 0 ? ":" + line : "")
            + (line > 0 && column > 0 ? ":" + column : "")
            + ": "
            + message,
        4096);
  }
}
