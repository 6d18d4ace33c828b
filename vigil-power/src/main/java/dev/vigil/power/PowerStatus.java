package dev.vigil.power;

import java.util.List;

/** Snapshot of the power manager, served as JSON by {@code GET /api/v1/power/status}. */
public record PowerStatus(
    String localNode, String controller, boolean dryRun, List<NodeStatus> nodes) {

  /** One node as this agent sees it. */
  public record NodeStatus(
      String name,
      String state,
      boolean sleepable,
      boolean local,
      Long idleForSeconds,
      Long awakeForSeconds,
      String lastWakeReason,
      String lastWakeResult,
      Double lastWakeLatencySeconds,
      String lastWakeAt,
      String lastDecision,
      List<CheckStatus> checks) {}

  /** The latest verdict of one activity check. */
  public record CheckStatus(String name, String verdict, String detail) {}
}
