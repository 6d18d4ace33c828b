package dev.vigil.cli;

/** Exit codes shared by every command. */
public final class ExitCodes {
  /** Success: rendered, clean, all checks passed. */
  public static final int OK = 0;
  /** Findings or failed checks. */
  public static final int FINDINGS = 1;
  /** Usage or input error: bad flags, unreadable or invalid spec. */
  public static final int INPUT = 2;

  private ExitCodes() {}
}
