package dev.vigil.render.grafana.dashboard;

import java.util.List;
import java.util.Set;

/**
 * The datasources every dashboard refers to. Grafana's provisioning creates exactly these, with
 * these uids, so dashboards never need a {@code $datasource} variable and never break when a
 * datasource is renamed.
 */
public final class Datasources {
  public static final String PROMETHEUS_UID = "prometheus";
  public static final String LOKI_UID = "loki";
  public static final String ALERTMANAGER_UID = "alertmanager";
  public static final String TEMPO_UID = "tempo";

  public static final Datasource PROMETHEUS = new Datasource("prometheus", PROMETHEUS_UID);
  public static final Datasource LOKI = new Datasource("loki", LOKI_UID);
  public static final Datasource ALERTMANAGER = new Datasource("alertmanager", ALERTMANAGER_UID);
  public static final Datasource TEMPO = new Datasource("tempo", TEMPO_UID);

  public static final List<Datasource> ALL = List.of(PROMETHEUS, LOKI, ALERTMANAGER, TEMPO);
  public static final Set<String> UIDS =
      Set.of(PROMETHEUS_UID, LOKI_UID, ALERTMANAGER_UID, TEMPO_UID);

  private Datasources() {}
}
