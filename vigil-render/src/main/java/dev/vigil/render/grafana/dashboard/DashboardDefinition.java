package dev.vigil.render.grafana.dashboard;

import java.util.Set;

/**
 * One dashboard of the catalog. An implementation is a small class that states which components the
 * dashboard needs and builds it; {@link Dashboards} lists the implementations.
 */
public interface DashboardDefinition {
  /** The dashboard uid; also its file name without ".json". */
  String uid();

  /** Components that must all be enabled for the dashboard to be rendered. */
  Set<String> requires();

  /**
   * Builds the dashboard. {@code enabled} holds every enabled component, so a dashboard can add
   * panels for optional ones (for example log agent panels when Alloy runs).
   */
  Dashboard build(Set<String> enabled);
}
