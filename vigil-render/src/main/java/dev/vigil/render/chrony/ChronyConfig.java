package dev.vigil.render.chrony;

import dev.vigil.spec.model.Node;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * chrony.conf for one tier of the cluster's time hierarchy. The upstream tier (control-plane nodes,
 * or every node under a flat hierarchy) follows the spec's public servers; the cluster tier follows
 * the control-plane nodes. Both serve NTP to the node subnets, so peers and the agent's probe can
 * measure every node.
 */
public final class ChronyConfig {
  /** chronyd's working directory on the host: the drift file survives pod and node restarts. */
  public static final String STATE_DIR = "/var/lib/chrony";

  /** pid file and command socket; an emptyDir, since the root filesystem is read-only. */
  public static final String RUN_DIR = "/run/chrony";

  /** chronyc's Unix socket, for privileged commands from inside the pod. */
  public static final String COMMAND_SOCKET = RUN_DIR + "/cmd/chronyd.sock";

  /** chronyd's command port on the host loopback, read by the exporter and the readiness probe. */
  public static final int CMD_PORT = 323;

  public static final int NTP_PORT = 123;

  /** Tier of the hierarchy a config is for. */
  public enum Tier {
    UPSTREAM,
    CLUSTER
  }

  private ChronyConfig() {}

  /**
   * The config text.
   *
   * @param servers "host" or "host:port" (IPv6 literals in brackets when a port is given)
   * @param allow subnets allowed to query this chronyd
   */
  public static String render(Tier tier, List<String> servers, List<String> allow) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("chrony " + tier + " tier needs at least one server");
    }
    StringBuilder b = new StringBuilder();
    b.append("# Rendered by vigil from the station spec (time:); tier ")
        .append(tier.name().toLowerCase())
        .append(".\n");
    b.append(
        tier == Tier.UPSTREAM
            ? "# Follows the upstream servers and serves the other nodes.\n"
            : "# Follows the control-plane nodes, which follow the upstream servers.\n");
    for (String s : servers) {
      b.append(serverLine(s)).append('\n');
    }
    if (tier == Tier.UPSTREAM) {
      // With every upstream lost, the cluster keeps agreeing on one (free-running) time at a
      // stratum the alerts flag, instead of each node drifting its own way.
      b.append("local stratum 10 orphan\n");
    }
    b.append("driftfile ").append(STATE_DIR).append("/chrony.drift\n");
    // Step at most in the first three updates (boot, wake from sleep); slew afterwards.
    b.append("makestep 1 3\n");
    // The kernel copies system time to the RTC every 11 minutes, so a node woken from sleep or
    // rebooted starts close to the right time; it also clears the kernel's unsynchronised flag,
    // which node-exporter's timex alerts read.
    b.append("rtcsync\n");
    for (String subnet : allow) {
      b.append("allow ").append(subnet).append('\n');
    }
    b.append("port ").append(NTP_PORT).append('\n');
    b.append("pidfile ").append(RUN_DIR).append("/chronyd.pid\n");
    // In a directory chronyd creates itself: it accepts a socket directory only when no one else
    // may enter it and it belongs to the -u user, and the run emptyDir (mode 2777, group fsGroup)
    // is neither, so a socket directly in it is disabled. The socket serves chronyc's privileged
    // commands (makestep, burst) inside the pod; 127.0.0.1:323 serves only monitoring.
    b.append("bindcmdaddress ").append(COMMAND_SOCKET).append('\n');
    b.append("bindcmdaddress 127.0.0.1\n");
    b.append("cmdport ").append(CMD_PORT).append('\n');
    return b.toString();
  }

  /** A {@code server} directive for "host" or "host:port". */
  static String serverLine(String server) {
    String host = server;
    String port = null;
    if (server.startsWith("[")) {
      int close = server.indexOf(']');
      host = server.substring(1, close);
      if (close + 1 < server.length() && server.charAt(close + 1) == ':') {
        port = server.substring(close + 2);
      }
    } else if (server.indexOf(':') > 0 && server.indexOf(':') == server.lastIndexOf(':')) {
      host = server.substring(0, server.indexOf(':'));
      port = server.substring(server.indexOf(':') + 1);
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("not an NTP server: '" + server + "'");
    }
    if (port != null && !port.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("not an NTP server port in '" + server + "'");
    }
    return "server " + host + (port == null ? "" : " port " + port) + " iburst";
  }

  /**
   * The subnets chrony serves: the /24 of every IPv4 node address and the /64 of every IPv6 one. A
   * homelab or rack network is one such subnet; the spec lists node addresses, not subnets.
   */
  public static List<String> allowedSubnets(List<Node> nodes) {
    TreeSet<String> subnets = new TreeSet<>();
    for (Node n : nodes) {
      subnets.add(subnet(n.address().text()));
    }
    return new ArrayList<>(subnets);
  }

  static String subnet(String address) {
    byte[] bytes;
    try {
      // A literal, validated by the spec: no name lookup happens.
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
    if (bytes.length == 4) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      b.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return b.append(":/64").toString();
  }
}
