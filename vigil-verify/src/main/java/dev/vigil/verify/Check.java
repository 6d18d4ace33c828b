package dev.vigil.verify;

import java.util.Collection;

/**
 * One row of a verification report.
 *
 * @param target what was checked (a server, a node, a Prometheus instance)
 * @param check the aspect ("offset", "stratum", ...)
 * @param measured the measured figure, human-readable
 * @param limit the threshold it was held against, human-readable ("" if none)
 * @param value the measured figure as a number (seconds, a stratum, a count), or null
 */
public record Check(
    String target,
    String check,
    Verdict verdict,
    String measured,
    String limit,
    String detail,
    Double value) {
  public Check(
      String target, String check, Verdict verdict, String measured, String limit, String detail) {
    this(target, check, verdict, measured, limit, detail, null);
  }

  /** This row with its figure as a number, for JSON consumers. */
  public Check withValue(double v) {
    return new Check(target, check, verdict, measured, limit, detail, v);
  }

  public Check {
    if (target == null || check == null || verdict == null) {
      throw new IllegalArgumentException("target, check and verdict are required");
    }
    measured = measured == null ? "" : measured;
    limit = limit == null ? "" : limit;
    detail = detail == null ? "" : detail;
  }

  /**
   * The overall verdict: FAIL if any check failed; otherwise UNKNOWN if nothing could be checked at
   * all; otherwise WARN or PASS. An unreachable source among reachable ones is itself a FAIL row,
   * so partial reachability never hides behind "could not check".
   */
  public static Verdict overall(Collection<Check> checks) {
    boolean anyChecked = false;
    Verdict worst = Verdict.PASS;
    for (Check c : checks) {
      if (c.verdict == Verdict.FAIL) {
        return Verdict.FAIL;
      }
      if (c.verdict == Verdict.PASS || c.verdict == Verdict.WARN) {
        anyChecked = true;
        if (c.verdict == Verdict.WARN) {
          worst = Verdict.WARN;
        }
      }
    }
    return anyChecked ? worst : Verdict.UNKNOWN;
  }
}
