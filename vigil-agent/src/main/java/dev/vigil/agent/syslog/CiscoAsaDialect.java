package dev.vigil.agent.syslog;

/** Cisco ASA with "logging device-id": {@code "<host> : %ASA-6-302013: ..."}. */
final class CiscoAsaDialect implements SyslogDialect {
  @Override
  public String name() {
    return "cisco-asa";
  }

  @Override
  public boolean afterHost(BsdCursor c) {
    if (!c.host.isEmpty() && c.s.startsWith(": %", c.pos)) {
      c.pos += 2;
      return true;
    }
    return false;
  }
}
