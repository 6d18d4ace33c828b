package dev.vigil.time;

/**
 * One request/reply exchange, computed per RFC 5905 section 8 from t1 (request sent, local), t2
 * (request received, server), t3 (reply sent, server) and t4 (reply received, local).
 *
 * @param offsetSeconds ((t2 - t1) + (t3 - t4)) / 2: how far the server is ahead of the local clock
 * @param delaySeconds (t4 - t1) - (t3 - t2): round trip minus the server's processing time
 */
public record NtpSample(
    double offsetSeconds,
    double delaySeconds,
    int stratum,
    LeapIndicator leap,
    String referenceId,
    double rootDelaySeconds,
    double rootDispersionSeconds,
    long localReceiveEpochNanos) {

  /** Computes offset and delay from the four timestamps in nanoseconds since the Unix epoch. */
  static double[] offsetAndDelay(long t1, long t2, long t3, long t4) {
    // Differences first, in long nanoseconds, so no precision is lost to large epoch values.
    double offset = ((double) (t2 - t1) + (double) (t3 - t4)) / 2e9;
    double delay = ((double) (t4 - t1) - (double) (t3 - t2)) / 1e9;
    return new double[] {offset, delay};
  }
}
