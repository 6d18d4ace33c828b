package dev.vigil.power.trigger;

import dev.vigil.power.check.ProcNetTcp;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Finds connection attempts in the kernel's TCP table: a half-open inbound connection (SYN_RECV) on
 * one of the ports, or an outbound attempt (SYN_SENT) to the node's address on one of the ports —
 * the trace a client, or a proxy on the controller, leaves while the node does not answer.
 */
public final class ConnectionAttempts {
  private ConnectionAttempts() {}

  public static List<ProcNetTcp.Entry> find(
      List<ProcNetTcp.Entry> table, Set<Integer> ports, InetAddress nodeAddress) {
    return table.stream()
        .filter(
            e ->
                (e.state() == ProcNetTcp.SYN_RECV && ports.contains(e.localPort()))
                    || (e.state() == ProcNetTcp.SYN_SENT
                        && ports.contains(e.remotePort())
                        && nodeAddress != null
                        && sameAddress(e.remoteAddress(), nodeAddress)))
        .toList();
  }

  /** Treats ::ffff:a.b.c.d and a.b.c.d as the same address. */
  static boolean sameAddress(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length == 16 && y.length == 4) {
      return mapped(x, y);
    }
    if (x.length == 4 && y.length == 16) {
      return mapped(y, x);
    }
    return java.util.Arrays.equals(x, y);
  }

  private static boolean mapped(byte[] v6, byte[] v4) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return v6[10] == (byte) 0xFF
        && v6[11] == (byte) 0xFF
        && java.util.Arrays.equals(java.util.Arrays.copyOfRange(v6, 12, 16), v4);
  }
}
