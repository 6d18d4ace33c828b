package dev.vigil.time;

/**
 * One line of {@code chronyc -c sources}.
 *
 * @param reachRegister the 8-bit reachability register (chronyc prints it in octal)
 * @param lastRxSeconds seconds since the last good sample, or -1 if there never was one
 * @param offsetSeconds adjusted offset of the last sample; positive means the local clock is ahead
 *     of the source (the opposite sign of an SNTP offset)
 */
public record ChronySource(
    Mode mode,
    State state,
    String address,
    int stratum,
    int pollLog2,
    int reachRegister,
    long lastRxSeconds,
    double offsetSeconds,
    double measuredOffsetSeconds,
    double errorSeconds) {

  public enum Mode {
    SERVER,
    PEER,
    REFCLOCK;

    static Mode of(String c) {
      return switch (c) {
        case "^" -> SERVER;
        case "=" -> PEER;
        case "#" -> REFCLOCK;
        default -> throw new IllegalArgumentException("unknown source mode '" + c + "'");
      };
    }
  }

  public enum State {
    SELECTED,
    COMBINED,
    NOT_COMBINED,
    UNREACHABLE,
    FALSETICKER,
    TOO_VARIABLE;

    static State of(String c) {
      return switch (c) {
        case "*" -> SELECTED;
        case "+" -> COMBINED;
        case "-" -> NOT_COMBINED;
        case "?" -> UNREACHABLE;
        case "x" -> FALSETICKER;
        case "~" -> TOO_VARIABLE;
        default -> throw new IllegalArgumentException("unknown source state '" + c + "'");
      };
    }
  }

  /** Fraction of the last eight polls that were answered. */
  public double reachabilityRatio() {
    return Integer.bitCount(reachRegister & 0xFF) / 8.0;
  }

  /** The most recent poll was answered. */
  public boolean lastPollAnswered() {
    return (reachRegister & 1) != 0;
  }

  public boolean reachable() {
    return (reachRegister & 0xFF) != 0;
  }

  public double pollSeconds() {
    return Math.pow(2, pollLog2);
  }
}
