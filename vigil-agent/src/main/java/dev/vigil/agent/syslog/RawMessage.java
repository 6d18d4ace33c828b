package dev.vigil.agent.syslog;

import java.time.Instant;

/**
 * One received syslog message before parsing: the bytes exactly as framed, where and when they
 * arrived. Immutable; the codecs copy out of Netty buffers before building one.
 */
public record RawMessage(
    byte[] bytes, Instant receivedAt, String senderAddress, String listener, boolean truncated) {

  public RawMessage {
    if (bytes == null || receivedAt == null || listener == null) {
      throw new IllegalArgumentException("bytes, receivedAt and listener are required");
    }
    senderAddress = senderAddress == null ? "" : senderAddress;
  }
}
