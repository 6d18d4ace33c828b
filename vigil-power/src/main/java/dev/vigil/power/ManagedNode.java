package dev.vigil.power;

import dev.vigil.power.check.ActivityVerdict;
import dev.vigil.spec.power.IpLiteral;
import dev.vigil.spec.power.PowerNodeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One node of the power section as this agent sees it: what the spec says (fixed) and what the
 * roles last observed (mutable, guarded by the object's own monitor). Both roles write here; the
 * status endpoint reads it.
 */
final class ManagedNode {
  final String name;
  final PowerNodeSpec spec;
  final byte[] mac;
  final byte[] secureOn;

  /** The address as written (for probes and logs); null when neither spec nor station has one. */
  final String address;

  /** The same address, parsed without the resolver. */
  final InetAddress inetAddress;

  volatile NodeState state = NodeState.UNKNOWN;
  volatile String lastDecision;
  Map<String, ActivityVerdict> checks = Map.of();
  Duration idleFor = Duration.ZERO;
  Duration awakeFor = Duration.ZERO;
  String lastWakeReason;
  String lastWakeResult;
  Duration lastWakeLatency;
  String lastWakeAt;

  private ManagedNode(
      String name,
      PowerNodeSpec spec,
      byte[] mac,
      byte[] secureOn,
      String address,
      InetAddress inetAddress) {
    this.name = name;
    this.spec = spec;
    this.mac = mac;
    this.secureOn = secureOn;
    this.address = address;
    this.inetAddress = inetAddress;
  }

  /**
   * The node from its power entry and, when the station lists it, the station's node. Secrets are
   * resolved from {@code env} now; errors name the field, never a secret's value.
   */
  static ManagedNode of(
      String name, PowerNodeSpec spec, PowerManager.Node node, Map<String, String> env) {
    String mac = spec.mac() != null ? spec.mac() : node == null ? null : node.mac();
    String address = spec.address() != null ? spec.address() : node == null ? null : node.address();
    byte[] pw = null;
    Optional<String> secret = Secrets.resolve(spec.secureOn(), env);
    if (secret.isPresent()) {
      try {
        pw = MagicPacket.parseSecureOn(secret.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "power.nodes." + name + ".secureOn (" + spec.secureOn() + "): " + e.getMessage());
      }
    }
    if (spec.sleepable() && mac == null) {
      throw new IllegalArgumentException(
          "power.nodes."
              + name
              + ": sleepable but no MAC address (set nodes[].mac or power.nodes."
              + name
              + ".mac), so it could never be woken");
    }
    byte[] macBytes;
    try {
      macBytes = mac == null ? null : MagicPacket.parseMac(mac);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("power.nodes." + name + ".mac: " + e.getMessage());
    }
    InetAddress inet;
    try {
      inet = address == null ? null : IpLiteral.toInetAddress(address);
    } catch (IllegalArgumentException e) {
      // The spec checks both fields at load; this guards callers that build specs in code.
      throw new IllegalArgumentException(
          (spec.address() != null ? "power.nodes." + name + ".address" : "nodes[" + name + "]")
              + ": "
              + e.getMessage());
    }
    return new ManagedNode(name, spec, macBytes, pw, address, inet);
  }

  synchronized void setState(NodeState s) {
    state = s;
  }

  /** Sets the state and returns the one before. */
  synchronized NodeState swapState(NodeState s) {
    NodeState before = state;
    state = s;
    return before;
  }

  /** Whose node this is, from the agent's side: idle times exist only where the checks run. */
  enum View {
    OTHER_NODE,
    THIS_NODE,
    THIS_NODE_SLEEPING_ROLE
  }

  synchronized PowerStatus.NodeStatus status(View view) {
    boolean showIdle = view == View.THIS_NODE_SLEEPING_ROLE;
    List<PowerStatus.CheckStatus> out = new ArrayList<>();
    checks.forEach(
        (k, v) ->
            out.add(
                new PowerStatus.CheckStatus(
                    k, v.state().name().toLowerCase(Locale.ROOT), v.detail())));
    return new PowerStatus.NodeStatus(
        name,
        state.label(),
        spec.sleepable(),
        view != View.OTHER_NODE,
        showIdle ? idleFor.toSeconds() : null,
        showIdle ? awakeFor.toSeconds() : null,
        lastWakeReason,
        lastWakeResult,
        lastWakeLatency == null ? null : lastWakeLatency.toMillis() / 1000.0,
        lastWakeAt,
        lastDecision,
        out);
  }
}
