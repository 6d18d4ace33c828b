package dev.vigil.power;

import dev.vigil.spec.power.IdlePolicy;
import dev.vigil.spec.power.PowerNodeSpec;
import dev.vigil.spec.power.PowerSpec;
import dev.vigil.spec.power.SleepSpec;
import dev.vigil.spec.power.WakeSendSpec;
import java.time.Duration;
import java.util.List;

/**
 * The spec's defaults for sections left out entirely: the binder fills in defaults of a section
 * that is present, but an absent section arrives as null.
 */
final class PowerDefaults {
  private PowerDefaults() {}

  static IdlePolicy idle(PowerNodeSpec n) {
    return n.idle() != null
        ? n.idle()
        : new IdlePolicy(
            Duration.ofMinutes(30),
            Duration.ofMinutes(15),
            Duration.ofSeconds(60),
            true,
            List.of());
  }

  static SleepSpec sleep(PowerNodeSpec n) {
    return n.sleep() != null
        ? n.sleep()
        : new SleepSpec(false, Duration.ofMinutes(5), List.of(), List.of());
  }

  static WakeSendSpec wake(PowerSpec spec) {
    return spec.wake() != null
        ? spec.wake()
        : new WakeSendSpec(
            List.of(),
            false,
            null,
            Duration.ofSeconds(120),
            22,
            3,
            Duration.ofSeconds(30),
            Duration.ofMinutes(15));
  }
}
