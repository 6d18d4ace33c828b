package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Validated;

@Doc(
    "How Vigil's monitors, rules, routes and dashboards are handed to a Prometheus Operator"
        + " (stack: prometheus-operator), as kube-prometheus-stack selects them.")
public record PrometheusOperatorSpec(
    @Doc(
            "Namespace of the PodMonitors, ServiceMonitors, ScrapeConfigs, PrometheusRules,"
                + " AlertmanagerConfig and dashboard ConfigMaps (default: cluster.namespace). The"
                + " receivers' Secrets must be here.")
        String namespace,
    @Doc(
            "Value of the release label the operator's Prometheus and Alertmanager select their"
                + " monitors, rules and AlertmanagerConfigs by (kube-prometheus-stack: its Helm release name).")
        @Default("kube-prometheus-stack")
        String release,
    @Doc("Label Grafana's dashboard sidecar looks for (value \"1\").") @Default("grafana_dashboard")
        String dashboardLabel,
    @Doc("Label Grafana's datasource sidecar looks for (value \"1\").")
        @Default("grafana_datasource")
        String datasourceLabel)
    implements Validated {

  private static final String LABEL_NAME =
      "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";

  @Override
  public void validate(Checks checks) {
    if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      checks.error(
          "namespace", "expected a namespace name (DNS label), got " + Excerpts.quoted(namespace));
    }
    if (!release.matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
      checks.error("release", "expected a label value, got " + Excerpts.quoted(release));
    }
    for (String f : java.util.List.of("dashboardLabel", "datasourceLabel")) {
      String v = f.equals("dashboardLabel") ? dashboardLabel : datasourceLabel;
      if (!v.matches(LABEL_NAME)) {
        checks.error(f, "expected a label name, got " + Excerpts.quoted(v));
      }
    }
  }
}
