package dev.vigil.time;

/** The three-bit association mode of an NTP packet (RFC 5905 figure 10). */
public enum NtpMode {
  RESERVED,
  SYMMETRIC_ACTIVE,
  SYMMETRIC_PASSIVE,
  CLIENT,
  SERVER,
  BROADCAST,
  CONTROL,
  PRIVATE;

  public static NtpMode of(int bits) {
    return values()[bits & 7];
  }
}
