package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import java.time.Duration;
import java.util.List;

@Doc("Idle policy: all durations are measured on the monotonic clock, never on wall-clock time.")
public record IdlePolicy(
    @Doc("Sleep after every check has been idle for this long.") @Default("30m") Duration idleAfter,
    @Doc("Never sleep within this long after waking (or after the agent starts).") @Default("15m")
        Duration minUptime,
    @Doc("How often the checks run.") @Default("60s") Duration interval,
    @Doc("A check that fails to run counts as activity (the safe choice).") @Default("true")
        boolean errorCountsAsActive,
    @Doc("Activity checks; the node is idle only when every check is idle.")
        List<ActivityCheckSpec> checks)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
      c.error("interval", "expected at least 1s, got " + interval);
    }
    if (idleAfter != null && interval != null && idleAfter.compareTo(interval) < 0) {
      c.error("idleAfter", "must be at least the check interval (" + interval + ")");
    }
    if (minUptime != null && minUptime.isNegative()) {
      c.error("minUptime", "must not be negative");
    }
  }
}
