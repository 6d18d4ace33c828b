package dev.vigil.spec.bind;

import dev.vigil.base.input.InputFiles;

/**
 * Values as problems quote them: at most {@link #MAX_CHARS} characters, control characters escaped
 * ({@code \x1b}), then how much was left out ({@code ...(2499940 more characters)}). A spec can
 * hold a value of a megabyte or an escape sequence; neither belongs in a terminal or a CI log.
 */
public final class Excerpts {
  /** The most characters of one value a message shows. */
  public static final int MAX_CHARS = 60;

  private Excerpts() {}

  /** The value, clipped and printable. */
  public static String of(String value) {
    return InputFiles.printable(value, MAX_CHARS);
  }

  /** The value, clipped and printable, in single quotes: {@code 'value'}. */
  public static String quoted(String value) {
    return "'" + of(value) + "'";
  }
}
