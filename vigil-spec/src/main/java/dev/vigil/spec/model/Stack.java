package dev.vigil.spec.model;

/** Who runs Prometheus, Alertmanager and Grafana. */
public enum Stack {
  /** Vigil renders its own. */
  VIGIL,
  /**
   * The cluster's Prometheus Operator (kube-prometheus-stack) runs them; Vigil renders monitors,
   * rules, routes and dashboards for it.
   */
  PROMETHEUS_OPERATOR
}
