package dev.vigil.agent.syslog;

/**
 * Cisco NX-OS: an empty sequence field ({@code ": "}) right after PRI, and the year-first stamp
 * {@code 2026 Jan 12 09:50:00 UTC}.
 */
final class NxOsDialect implements SyslogDialect {
  @Override
  public String name() {
    return "cisco-nxos";
  }

  @Override
  public boolean beforeTimestamp(BsdCursor c) {
    if (c.s.startsWith(": ", c.start)) {
      c.pos = c.start + 2;
      return true;
    }
    return false;
  }

  @Override
  public SyslogTimestamps.Stamp timestamp(BsdCursor c) {
    return c.timestamps.nxos(c.s, c.pos, c.sender, c.host);
  }
}
