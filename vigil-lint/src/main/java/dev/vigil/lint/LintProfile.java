package dev.vigil.lint;

import java.util.Locale;

/**
 * Rule sets, each including the previous one: Pod Security Standards baseline, PSS restricted, and
 * vigil (restricted plus every best-practice and monitoring-configuration rule).
 */
public enum LintProfile {
  BASELINE,
  RESTRICTED,
  VIGIL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a rule introduced at {@code level} runs under this profile. */
  public boolean includes(LintProfile level) {
    return level.ordinal() <= ordinal();
  }

  public static LintProfile parse(String s) {
    for (LintProfile p : values()) {
      if (p.label().equalsIgnoreCase(s.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown profile '" + s + "' (expected baseline, restricted or vigil)");
  }
}
