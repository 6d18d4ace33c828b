package dev.vigil.render.grafana.dashboard;

/** Grafana unit ids used by the dashboards (the values of {@code fieldConfig.defaults.unit}). */
public final class Units {
  /** 0..1 shown as a percentage. */
  public static final String PERCENT_UNIT = "percentunit";

  public static final String BYTES = "bytes";
  public static final String BYTES_PER_SECOND = "Bps";
  public static final String SECONDS = "s";
  public static final String DURATION = "dtdurations";
  public static final String SHORT = "short";
  public static final String NONE = "none";
  public static final String COUNTS_PER_SECOND = "cps";
  public static final String OPS_PER_SECOND = "ops";
  public static final String CELSIUS = "celsius";
  public static final String RPM = "rotrpm";
  public static final String WATT = "watt";
  public static final String VOLT = "volt";

  private Units() {}
}
