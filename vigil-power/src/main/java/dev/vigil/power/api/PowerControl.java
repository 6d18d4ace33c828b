package dev.vigil.power.api;

import dev.vigil.power.PowerStatus;
import dev.vigil.power.WakeCoordinator;
import java.time.Duration;

/** What the power routes need from the power manager. */
public interface PowerControl {
  PowerStatus status();

  /**
   * Requests a wake of {@code node}.
   *
   * @throws IllegalArgumentException for a node the power section does not list
   */
  WakeCoordinator.Admission requestWake(String node, String reason);

  /** Time until {@code node} may be woken again, zero when it may be now. */
  Duration retryAfter(String node);
}
