package dev.vigil.render.contract;

/** A contract file that does not load: the message names the file, line, column and field. */
public final class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
