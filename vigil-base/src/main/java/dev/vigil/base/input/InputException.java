package dev.vigil.base.input;

/**
 * Input Vigil refuses to read: not a regular file, too large, too deep, not UTF-8 text. The message
 * names where (file, and line and column when known) and what was expected; it never carries the
 * offending content beyond a short, printable excerpt.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String where;
  private final String reason;

  public InputException(String where, String reason) {
    super(where + ": " + reason);
    this.where = where;
    this.reason = reason;
  }

  /** The file, or file:line:column, the problem is at. */
  public String where() {
    return where;
  }

  /** What is wrong and what was expected, without the location. */
  public String reason() {
    return reason;
  }
}
