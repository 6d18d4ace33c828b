package dev.vigil.lint;

import java.util.Locale;

/** How bad a finding is; ordered so that comparisons work ({@code INFO < WARNING < ERROR}). */
public enum Severity {
  INFO,
  WARNING,
  ERROR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String s) {
    for (Severity v : values()) {
      if (v.label().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + s + "' (expected info, warning or error)");
  }
}
