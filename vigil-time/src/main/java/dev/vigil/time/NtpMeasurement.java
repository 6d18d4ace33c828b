package dev.vigil.time;

import java.util.Optional;

/**
 * Result of measuring one server: a status, the minimum-delay sample when any valid reply came
 * back, and how many requests were sent and answered validly.
 *
 * <p>For {@link NtpStatus#UNSYNCHRONISED} the sample is kept to show what the server claimed, but
 * {@link #trustedSample()} is empty: callers must never act on it.
 */
public record NtpMeasurement(
    NtpServer server,
    NtpStatus status,
    Optional<NtpSample> sample,
    int requestsSent,
    int validReplies,
    String detail) {

  public NtpMeasurement {
    if (server == null || status == null) {
      throw new IllegalArgumentException("server and status are required");
    }
    sample = sample == null ? Optional.empty() : sample;
    detail = detail == null ? "" : detail;
  }

  public Optional<NtpSample> trustedSample() {
    return status.trusted() ? sample : Optional.empty();
  }

  public boolean reachable() {
    return status.answered();
  }
}
