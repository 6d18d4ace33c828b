package dev.vigil.verify;

/** Outcome of one check, ordered from best to worst for the overall result. */
public enum Verdict {
  PASS,
  WARN,
  /** The check could not be made (source unreachable, metric absent). */
  UNKNOWN,
  FAIL;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** 0 pass (warnings included), 1 failed checks, 2 could not check. */
  public int exitCode() {
    return switch (this) {
      case PASS, WARN -> 0;
      case FAIL -> 1;
      case UNKNOWN -> 2;
    };
  }
}
