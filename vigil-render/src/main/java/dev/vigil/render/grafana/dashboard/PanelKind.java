package dev.vigil.render.grafana.dashboard;

/**
 * The panel types the builder emits, with the grid size each gets unless a panel says otherwise.
 */
public enum PanelKind {
  TIMESERIES("timeseries", 12, 8),
  STAT("stat", 4, 4),
  GAUGE("gauge", 6, 6),
  TABLE("table", 24, 8),
  BARGAUGE("bargauge", 8, 8),
  LOGS("logs", 24, 10);

  private final String grafanaType;
  private final int defaultWidth;
  private final int defaultHeight;

  PanelKind(String grafanaType, int defaultWidth, int defaultHeight) {
    this.grafanaType = grafanaType;
    this.defaultWidth = defaultWidth;
    this.defaultHeight = defaultHeight;
  }

  /** The {@code type} field of the panel JSON. */
  public String grafanaType() {
    return grafanaType;
  }

  public int defaultWidth() {
    return defaultWidth;
  }

  public int defaultHeight() {
    return defaultHeight;
  }
}
