package dev.vigil.render.grafana.dashboard;

/** Names of stack components, as the enabled-component set passed to {@link Dashboards} uses. */
public final class Components {
  public static final String NODE_EXPORTER = "node-exporter";
  public static final String KUBE_STATE_METRICS = "kube-state-metrics";
  public static final String PROMETHEUS = "prometheus";
  public static final String ALERTMANAGER = "alertmanager";
  public static final String LOKI = "loki";
  public static final String ALLOY = "alloy";
  public static final String IPMI_EXPORTER = "ipmi-exporter";
  public static final String GRAFANA = "grafana";
  public static final String CHRONY_EXPORTER = "chrony-exporter";
  public static final String VIGIL_AGENT = "vigil-agent";

  private Components() {}
}
