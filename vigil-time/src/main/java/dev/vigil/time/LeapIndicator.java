package dev.vigil.time;

/** The two-bit leap indicator of an NTP packet; {@link #UNSYNCHRONISED} is the alarm condition. */
public enum LeapIndicator {
  NONE,
  INSERT_SECOND,
  DELETE_SECOND,
  UNSYNCHRONISED;

  public static LeapIndicator of(int bits) {
    return values()[bits & 3];
  }

  public int bits() {
    return ordinal();
  }
}
