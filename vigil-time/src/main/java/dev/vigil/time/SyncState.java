package dev.vigil.time;

/**
 * What an NTP server says about its own synchronisation in each reply.
 *
 * @param stratum stratum to advertise (1-15; 16 = unsynchronised)
 * @param referenceId reference id to advertise (IPv4 of the upstream, or ASCII code)
 */
public record SyncState(
    int stratum,
    LeapIndicator leap,
    int referenceId,
    double rootDelaySeconds,
    double rootDispersionSeconds,
    long referenceEpochNanos) {

  public static final int UNSYNCHRONISED_STRATUM = 16;

  public SyncState {
    if (stratum < 1 || stratum > UNSYNCHRONISED_STRATUM) {
      throw new IllegalArgumentException("stratum must be 1-16, got " + stratum);
    }
    if (leap == null) {
      throw new IllegalArgumentException("leap is required");
    }
  }

  public static SyncState unsynchronised() {
    return new SyncState(
        UNSYNCHRONISED_STRATUM, LeapIndicator.UNSYNCHRONISED, NtpPacket.asciiId("INIT"), 0, 0, 0);
  }

  /** A fixed stratum with no upstream to describe (e.g. a local clock declared trustworthy). */
  public static SyncState fixed(int stratum, long referenceEpochNanos) {
    return new SyncState(
        stratum, LeapIndicator.NONE, NtpPacket.asciiId("LOCL"), 0, 0, referenceEpochNanos);
  }

  public boolean synchronised() {
    return stratum < UNSYNCHRONISED_STRATUM && leap != LeapIndicator.UNSYNCHRONISED;
  }
}
