package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;

@Doc("The stack's components. Each can be disabled or tuned; unset fields take Vigil's defaults.")
public record Components(
    @Doc("Prometheus: metrics, rules, alerts.") PrometheusSpec prometheus,
    @Doc("Alertmanager: notification routing.") AlertmanagerSpec alertmanager,
    @Doc("Grafana: dashboards.") GrafanaSpec grafana,
    @Doc("Loki: log storage.") LokiSpec loki,
    @Doc("Grafana Alloy: the log agent on every node.") AlloySpec alloy,
    @Doc("node-exporter: host metrics on every node.") NodeExporterSpec nodeExporter,
    @Doc("kube-state-metrics: Kubernetes object state.") KubeStateMetricsSpec kubeStateMetrics,
    @Doc("IPMI exporter: temperatures, fans, power of nodes with ipmi: true.") IpmiExporterSpec ipmiExporter,
    @Doc("Blackbox exporter: endpoint probes and certificate expiry.") BlackboxExporterSpec blackboxExporter) {}
