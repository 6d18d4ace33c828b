package dev.vigil.agent.syslog;

import dev.vigil.agent.syslog.SyslogMessage.Format;
import java.time.Instant;
import java.util.Map;

/**
 * One RFC 3164-shaped message as {@link BsdReader} and the dialects read it: the text after PRI and
 * what has been found so far. Fields are open to the dialects of this package by design: it is the
 * state they share, for one message, on one thread.
 */
final class BsdCursor {
  final String s;
  final int start;
  final Instant receivedAt;
  final String sender;
  final Map<String, String> fields;
  final SyslogTimestamps timestamps;
  final boolean fastPaths;

  /** Read position in {@link #s}. */
  int pos;

  String host = "";
  Instant event;
  String error;

  /** The timestamp read, or null when the message has none. */
  SyslogTimestamps.Stamp stamp;

  Format format = Format.RFC3164;

  /** Where the body starts (after the header): the message is copied from here. */
  int rest;

  String app = "";
  String procId = "";

  /** The message text, once a body step cut it; null means from {@link #rest}. */
  String msg;

  /** True when the RFC 3164 TAG took the body ({@code app[pid]: }). */
  boolean tagged;

  /** The sender's key=value pairs, when the message is made of them. */
  Map<String, String> keyValues = Map.of();

  /** Bit i set: dialect i of the reader read part of this message. */
  int dialectsUsed;

  BsdCursor(
      String s,
      int start,
      Instant receivedAt,
      String sender,
      Map<String, String> fields,
      SyslogTimestamps timestamps,
      boolean fastPaths) {
    this.s = s;
    this.start = start;
    this.pos = start;
    this.receivedAt = receivedAt;
    this.sender = sender;
    this.fields = fields;
    this.timestamps = timestamps;
    this.fastPaths = fastPaths;
  }

  boolean at(char c) {
    return pos < s.length() && s.charAt(pos) == c;
  }

  /** The message text, cut from {@link #rest} if no body step cut it. */
  String message() {
    if (msg == null) {
      msg = s.substring(rest);
    }
    return msg;
  }
}
