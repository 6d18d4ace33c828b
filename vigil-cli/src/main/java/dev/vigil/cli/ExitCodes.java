package dev.vigil.cli;

/** Exit codes of every command. */
public final class ExitCodes {
  /** Success: rendered, clean, all checks passed. */
  public static final int OK = 0;

  /** Findings, failed checks, or a service that could not start. */
  public static final int FINDINGS = 1;

  /** Usage or input error: bad flags, unreadable or invalid spec, nothing could be checked. */
  public static final int INPUT = 2;

  private ExitCodes() {}
}
