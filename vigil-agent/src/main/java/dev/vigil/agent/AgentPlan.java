package dev.vigil.agent;

import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import dev.vigil.spec.syslog.SyslogSpec;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Which services an agent runs and which of the spec's nodes it is. */
public final class AgentPlan {
  public static final String SYSLOG = "syslog";
  public static final String TIME = "time";
  public static final String POWER = "power";
  static final List<String> ALL = List.of(SYSLOG, TIME, POWER);

  private AgentPlan() {}

  /**
   * The services to run, in start order: the requested ones (each must be enabled by the spec), or,
   * when none are requested, every one the spec enables.
   *
   * @throws IllegalArgumentException naming the service and the spec field that disables it
   */
  public static Set<String> services(Station station, SyslogSpec syslog, List<String> requested) {
    Set<String> enabled = new LinkedHashSet<>();
    if (syslog.enabled()) {
      enabled.add(SYSLOG);
    }
    if (station.time() != null && station.time().enabled() && station.time().probe().enabled()) {
      enabled.add(TIME);
    }
    if (station.power() != null && station.power().enabled()) {
      enabled.add(POWER);
    }
    if (requested == null || requested.isEmpty()) {
      return Collections.unmodifiableSet(enabled);
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String r : requested) {
      String s = r.trim().toLowerCase(Locale.ROOT);
      if (!ALL.contains(s)) {
        throw new IllegalArgumentException(
            "--services: unknown service '" + r + "'; expected one of " + String.join(", ", ALL));
      }
      if (!enabled.contains(s)) {
        throw new IllegalArgumentException(
            "--services: " + s + " is not enabled in the spec (" + disabledBy(s) + ")");
      }
      wanted.add(s);
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String s : ALL) {
      if (wanted.contains(s)) {
        ordered.add(s);
      }
    }
    return Collections.unmodifiableSet(ordered);
  }

  private static String disabledBy(String service) {
    return switch (service) {
      case SYSLOG -> "syslog.enabled: false";
      case TIME -> "needs time.enabled and time.probe.enabled";
      default -> "needs power.enabled: true";
    };
  }

  /**
   * This host's node: the named one (which must exist), else the node whose name is this host's
   * name, else the node whose address is one of this host's non-loopback addresses; null when no
   * node matches.
   */
  public static Node localNode(Station station, String name) {
    return localNode(station, name, AgentPlan::hostName, AgentPlan::hostAddresses);
  }

  static Node localNode(
      Station station, String name, Supplier<String> hostName, Supplier<Set<String>> addresses) {
    List<Node> nodes = station.nodes() == null ? List.of() : station.nodes();
    if (name != null && !name.isBlank()) {
      for (Node n : nodes) {
        if (n.name().equals(name)) {
          return n;
        }
      }
      List<String> names = new ArrayList<>();
      nodes.forEach(n -> names.add(n.name()));
      throw new IllegalArgumentException(
          "--node: '"
              + name
              + "' is not a node of the spec"
              + (names.isEmpty()
                  ? " (it lists no nodes)"
                  : "; nodes: " + String.join(", ", names)));
    }
    String host = hostName.get();
    if (host != null) {
      String shortName = host.toLowerCase(Locale.ROOT).split("\\.", 2)[0];
      for (Node n : nodes) {
        if (n.name().equalsIgnoreCase(host) || n.name().equalsIgnoreCase(shortName)) {
          return n;
        }
      }
    }
    Set<String> mine = addresses.get();
    for (Node n : nodes) {
      if (mine.contains(n.address().text())) {
        return n;
      }
    }
    return null;
  }

  /** True when some node of the power section wakes on syslog patterns. */
  public static boolean hasSyslogTriggers(PowerSpec power) {
    if (power == null || power.nodes() == null) {
      return false;
    }
    for (PowerNodeSpec n : power.nodes().values()) {
      if (n.triggers() != null
          && n.triggers().syslogPatterns() != null
          && !n.triggers().syslogPatterns().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv("HOSTNAME");
    }
  }

  private static Set<String> hostAddresses() {
    Set<String> out = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!a.isLoopbackAddress()) {
            String text = a.getHostAddress();
            int zone = text.indexOf('%');
            out.add(zone < 0 ? text : text.substring(0, zone));
          }
        }
      }
    } catch (SocketException e) {
      // No interfaces to compare: the node stays unknown unless named.
    }
    return out;
  }
}
