package dev.vigil.render;

import java.util.Locale;

/**
 * The capability a component belongs to, for selective deploys ({@code vigil apply --tags
 * monitoring,syslog}), as operators group their automation.
 */
public enum Tag {
  /** Metrics, rules, alerts and dashboards. */
  MONITORING,
  /** Log collection and storage. */
  LOGGING,
  /** Traces. */
  TRACING,
  /** Clock synchronisation. */
  TIME,
  /** The syslog gateway. */
  SYSLOG,
  /** Directory, Kerberos, certificates of the identity service. */
  IDENTITY,
  /** Autosleep and Wake-on-LAN. */
  POWER,
  /** Namespaces and the cluster-level objects everything else stands on. */
  INFRASTRUCTURE;

  /** The spelling used on the command line and in docs: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tag parse(String text) {
    for (Tag t : values()) {
      if (t.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown tag '"
            + text
            + "'; expected one of "
            + String.join(", ", java.util.Arrays.stream(values()).map(Tag::label).toList()));
  }
}
