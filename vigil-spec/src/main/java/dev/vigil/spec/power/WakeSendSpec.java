package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import java.time.Duration;
import java.util.List;

@Doc("How wake packets are sent and verified.")
public record WakeSendSpec(
    @Doc("UDP ports the magic packet is sent to; empty = 9 and 7.") List<Integer> ports,
    @Doc(
            "Also send a raw Ethernet frame (EtherType 0x0842) through etherwake/ether-wake when"
                + " installed.")
        @Default("false")
        boolean etherwake,
    @Doc("Interface for the raw frame; empty = every up, non-loopback interface.")
        String etherwakeInterface,
    @Doc("How long to wait for the node to answer after a wake.") @Default("120s")
        Duration verifyTimeout,
    @Doc("TCP port probed to verify the wake (0 = ICMP echo only).") @Default("22") int verifyPort,
    @Doc("Wake packets are sent again this many times while waiting.") @Default("3") int retries,
    @Doc(
            "Wait at least this long before another wake of the same node after a failed one;"
                + " doubles up to maxBackoff.")
        @Default("30s")
        Duration backoff,
    @Doc("Upper bound of the backoff.") @Default("15m") Duration maxBackoff)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (verifyPort < 0 || verifyPort > 65535) {
      c.error("verifyPort", "expected 0-65535, got " + verifyPort);
    }
    if (retries < 0 || retries > 20) {
      c.error("retries", "expected 0-20, got " + retries);
    }
    if (ports != null) {
      for (int i = 0; i < ports.size(); i++) {
        Integer p = ports.get(i);
        if (p == null || p < 1 || p > 65535) {
          c.error("ports[" + i + "]", "expected a port 1-65535, got " + p);
        }
      }
    }
  }
}
