package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.MacAddress;

@Doc("Power settings of one node.")
public record PowerNodeSpec(
    @Doc("The node may be put to sleep when idle.") @Default("true") boolean sleepable,
    @Doc("MAC address for Wake-on-LAN; overrides the node's mac in nodes.") String mac,
    @Doc(
            "IP address used to verify the wake and as the unicast wake destination; overrides the"
                + " node's address.")
        String address,
    @Doc(
            "SecureOn password (4 or 6 bytes, written aa:bb:cc:dd or as 4/6 ASCII characters), as a"
                + " secret reference.")
        PowerSecret secureOn,
    @Doc("When the node counts as idle and may sleep.") IdlePolicy idle,
    @Doc("Events on the controller that wake this node.") WakeTriggers triggers,
    @Doc("What the node does to go to sleep.") SleepSpec sleep)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (sleepable && (idle == null || idle.checks() == null || idle.checks().isEmpty())) {
      // With no checks every moment looks idle: the node would sleep in the middle of a stream.
      c.error(
          "idle.checks",
          "a sleepable node needs at least one activity check (or set sleepable: false)");
    }
    IpLiteral.check(c, "address", address);
    if (mac != null) {
      try {
        MacAddress.parse(mac);
      } catch (IllegalArgumentException e) {
        c.error("mac", e.getMessage());
      }
    }
  }
}
