package dev.vigil.time;

/** Outcome of measuring one server. Only {@link #OK} measurements are trusted. */
public enum NtpStatus {
  /** Valid, synchronised replies; the offset can be trusted. */
  OK,
  /** The server answered with leap indicator 3 or stratum 16: it does not know the time. */
  UNSYNCHRONISED,
  /** Kiss-o'-Death DENY: access denied; the client stops asking. */
  KOD_DENY,
  /** Kiss-o'-Death RSTR: access restricted; the client stops asking. */
  KOD_RSTR,
  /** Kiss-o'-Death RATE: too many requests; the client backs off. */
  KOD_RATE,
  /** Kiss-o'-Death with another code; the reply carries no time and is not trusted. */
  KOD_OTHER,
  /** Replies arrived but failed validation (origin mismatch, wrong mode, impossible timestamps). */
  INVALID,
  /** No reply within the timeout. */
  TIMEOUT,
  /** The host name did not resolve. */
  UNRESOLVED,
  /** A local I/O error prevented the measurement. */
  ERROR;

  public boolean trusted() {
    return this == OK;
  }

  /** The server sent something back (even a refusal). */
  public boolean answered() {
    return switch (this) {
      case TIMEOUT, UNRESOLVED, ERROR -> false;
      default -> true;
    };
  }

  /** RFC 5905 section 7.4: DENY and RSTR demobilise the association. */
  public boolean stopAsking() {
    return this == KOD_DENY || this == KOD_RSTR;
  }

  public boolean kissOfDeath() {
    return name().startsWith("KOD_");
  }

  static NtpStatus forKissCode(String code) {
    return switch (code) {
      case "DENY" -> KOD_DENY;
      case "RSTR" -> KOD_RSTR;
      case "RATE" -> KOD_RATE;
      default -> KOD_OTHER;
    };
  }
}
