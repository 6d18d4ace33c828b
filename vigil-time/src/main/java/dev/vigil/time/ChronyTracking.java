package dev.vigil.time;

/**
 * The local chrony's view of its own synchronisation, from {@code chronyc -c tracking}.
 *
 * @param systemTimeSeconds chrony's current correction: positive means the system clock is slow
 *     (behind NTP time), as in chronyc's "seconds slow of NTP time"
 * @param lastOffsetSeconds offset measured at the last clock update (positive = local clock ahead)
 */
public record ChronyTracking(
    String referenceId,
    String referenceName,
    int stratum,
    double referenceTimeEpochSeconds,
    double systemTimeSeconds,
    double lastOffsetSeconds,
    double rmsOffsetSeconds,
    double frequencyPpm,
    double residualFrequencyPpm,
    double skewPpm,
    double rootDelaySeconds,
    double rootDispersionSeconds,
    double updateIntervalSeconds,
    LeapIndicator leap) {

  /** chrony's refid when it serves its own clock under {@code local stratum N}. */
  public static final String LOCAL_REFERENCE_ID = "7F7F0101";

  /**
   * Synchronised to something: a real reference and a leap status other than "Not synchronised".
   */
  public boolean synchronised() {
    return leap != LeapIndicator.UNSYNCHRONISED && stratum > 0 && stratum < 16;
  }

  /** The clock is disciplined by another server rather than being its own local reference. */
  public boolean remoteReference() {
    return synchronised() && !LOCAL_REFERENCE_ID.equalsIgnoreCase(referenceId);
  }

  /**
   * chrony's best estimate of the error of the local clock (RFC 5905 root distance style bound):
   * |system time| + root dispersion + root delay / 2.
   */
  public double maxErrorSeconds() {
    return Math.abs(systemTimeSeconds) + rootDispersionSeconds + rootDelaySeconds / 2;
  }
}
