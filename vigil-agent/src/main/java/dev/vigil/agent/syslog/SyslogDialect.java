package dev.vigil.agent.syslog;

/**
 * What one device family adds to the RFC 3164 shape, read at the steps of {@link BsdReader}. Each
 * step is a no-op unless the family's mark is at the cursor; a step that reads something says so
 * (true), which is how a dialect's corpus shows it is the one that read its examples.
 *
 * <p>The reader calls every dialect at each step, in the order it was given them; dialects must not
 * depend on each other beyond that order.
 */
interface SyslogDialect {
  /** The dialect's name; its corpus is {@code corpus-<name>.txt} beside the parser's tests. */
  String name();

  /** Before the timestamp: prefixes such as sequence numbers and clock marks. */
  default boolean beforeTimestamp(BsdCursor c) {
    return false;
  }

  /** A timestamp of this family's shape at {@code c.pos}, or null. */
  default SyslogTimestamps.Stamp timestamp(BsdCursor c) {
    return null;
  }

  /** After the timestamp, when the generic host name did not apply: a family's own host field. */
  default boolean hostname(BsdCursor c) {
    return false;
  }

  /** After the host name: separators a family puts before its body. */
  default boolean afterHost(BsdCursor c) {
    return false;
  }

  /** The body's start (app, process id, message); true when this dialect took it. */
  default boolean body(BsdCursor c) {
    return false;
  }

  /** Once the message text is known: what a family puts inside it. */
  default boolean inMessage(BsdCursor c) {
    return false;
  }
}
