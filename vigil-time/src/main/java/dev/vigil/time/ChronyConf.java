package dev.vigil.time;

import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.NodeRole;
import dev.vigil.spec.time.TimeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chrony.conf of one node, derived from the spec's {@code time:} section and node list.
 *
 * <p>Under {@code hierarchy: control-plane}, control-plane nodes follow the upstream servers and
 * every other node prefers the control-plane nodes, keeping the upstream servers as a fallback so a
 * lost control plane does not leave it free-running. Under {@code flat} every node follows the
 * upstream servers. Every node serves NTP to the cluster's nodes, which the agents' peer mesh
 * measures. Control-plane nodes keep serving at stratum 10 when they lose all upstream servers
 * ({@code local ... orphan}), so the cluster stays consistent with itself during an outage while
 * the workers' stratum (11) and the sources alerts make the outage visible.
 */
public final class ChronyConf {
  /** Stratum a control-plane node serves at when it has lost every upstream server. */
  public static final int ORPHAN_STRATUM = 10;

  /** Where things live and which ports are used; the defaults are those of a real node. */
  public record Options(
      int listenPort, int clusterPort, String driftFile, String bindAddress, int cmdPort) {
    public static final Options DEFAULTS =
        new Options(123, 123, "/var/lib/chrony/chrony.drift", null, 323);

    public Options {
      if (listenPort < 0 || listenPort > 65535 || clusterPort < 1 || clusterPort > 65535) {
        throw new IllegalArgumentException("ports must be 1-65535 (listenPort 0 disables serving)");
      }
      if (driftFile == null || driftFile.isBlank()) {
        throw new IllegalArgumentException("driftFile is required");
      }
      if (cmdPort < 0 || cmdPort > 65535) {
        throw new IllegalArgumentException("cmdPort must be 0-65535");
      }
    }
  }

  private ChronyConf() {}

  /** The configuration of node {@code self}; {@code nodes} is the spec's node list. */
  public static String forNode(TimeSpec time, List<Node> nodes, Node self, Options o) {
    if (!nodes.contains(self)) {
      throw new IllegalArgumentException("node " + self.name() + " is not in the node list");
    }
    List<String> controlPlane = new ArrayList<>();
    for (Node n : nodes) {
      if (n.role() == NodeRole.CONTROL_PLANE && !n.equals(self)) {
        controlPlane.add(n.address().text());
      }
    }
    boolean followsUpstream =
        time.hierarchy() == TimeSpec.TimeHierarchy.FLAT
            || self.role() == NodeRole.CONTROL_PLANE
            || controlPlane.isEmpty();
    StringBuilder sb = new StringBuilder();
    sb.append("# chrony.conf for node ")
        .append(self.name())
        .append(" (")
        .append(self.role().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .append(", hierarchy ")
        .append(time.hierarchy().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .append("), rendered by Vigil from vigil.yaml.\n");
    if (!followsUpstream) {
      sb.append("# The control plane first; the upstream servers only if it is lost.\n");
      for (String cp : controlPlane) {
        sb.append("server ").append(cp);
        if (o.clusterPort() != 123) {
          sb.append(" port ").append(o.clusterPort());
        }
        sb.append(" iburst prefer\n");
      }
    }
    for (String upstream : time.effectiveUpstream()) {
      sb.append(sourceLine(upstream)).append('\n');
    }
    sb.append("# Step during the first three updates (boot, wake from sleep), slew afterwards.\n")
        .append("makestep 1.0 3\n")
        .append(
            "# Keep the RTC in step so a node woken from sleep starts close to the right time.\n")
        .append("rtcsync\n")
        .append("driftfile ")
        .append(o.driftFile())
        .append('\n');
    if (o.listenPort() != 123) {
      sb.append("port ").append(o.listenPort()).append('\n');
    }
    if (o.bindAddress() != null) {
      sb.append("bindaddress ").append(o.bindAddress()).append('\n');
    }
    sb.append("# Serve the cluster's nodes: workers sync here, agents measure each other.\n");
    for (Node n : nodes) {
      if (!n.equals(self)) {
        sb.append("allow ").append(n.address().text()).append('\n');
      }
    }
    if (self.role() == NodeRole.CONTROL_PLANE) {
      sb.append("# Keep serving the cluster if every upstream server is lost (visible as stratum ")
          .append(ORPHAN_STRATUM)
          .append(").\n")
          .append("local stratum ")
          .append(ORPHAN_STRATUM)
          .append(" orphan\n");
    }
    sb.append("# Command port for chronyc and the exporter, loopback only.\n")
        .append("bindcmdaddress 127.0.0.1\n")
        .append("cmdport ")
        .append(o.cmdPort())
        .append('\n');
    return sb.toString();
  }

  /** {@code pool} for pool.ntp.org names (several servers behind one name), else {@code server}. */
  static String sourceLine(String upstream) {
    NtpServer s = NtpServer.parse(upstream);
    String host = s.host();
    boolean pool = host.equals("pool.ntp.org") || host.endsWith(".pool.ntp.org");
    StringBuilder sb = new StringBuilder(pool ? "pool " : "server ").append(host);
    if (s.port() != NtpServer.DEFAULT_PORT) {
      sb.append(" port ").append(s.port());
    }
    sb.append(" iburst");
    if (pool) {
      sb.append(" maxsources 2");
    }
    return sb.toString();
  }
}
