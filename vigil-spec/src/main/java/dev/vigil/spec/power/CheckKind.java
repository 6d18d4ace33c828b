package dev.vigil.spec.power;

import dev.vigil.spec.bind.Doc;

@Doc("Kind of activity check.")
public enum CheckKind {
  /** Established TCP connections on given local ports (/proc/net/tcp and tcp6). */
  TCP_CONNECTIONS,
  /** Samba sessions listed by {@code smbstatus -b}. */
  SMB,
  /** Logged-in users ({@code who}) and logind sessions. */
  USERS,
  /** One-minute load average above a threshold. */
  LOAD,
  /** Network traffic above a threshold in bytes per second (/proc/net/dev). */
  BANDWIDTH,
  /** Pods running on the node outside an allow-list. */
  KUBERNETES_PODS,
  /** A PromQL expression with a non-empty result. */
  PROMQL,
  /** An external command; exit code 0 means active. */
  COMMAND,
  /** systemd inhibitor locks that block sleep. */
  INHIBITORS
}
