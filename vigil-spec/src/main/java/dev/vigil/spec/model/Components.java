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
    @Doc("IPMI exporter: temperatures, fans, power of nodes with ipmi: true.")
        IpmiExporterSpec ipmiExporter,
    @Doc(
            "The cluster's own programs (kubelets, control plane, CoreDNS, cert-manager) as Vigil scrapes them.")
        KubernetesSpec kubernetes,
    @Doc("Grafana Tempo: trace storage (off by default).") TempoSpec tempo,
    @Doc("OpenTelemetry Collector: the applications' OTLP endpoint (off by default).")
        OtelCollectorSpec otelCollector,
    @Doc("ingress-nginx: the production Ingresses' controller (on in production unless disabled).")
        IngressNginxSpec ingressNginx,
    @Doc("cert-manager and its Let's Encrypt ClusterIssuers (on in production unless disabled).")
        CertManagerSpec certManager,
    @Doc("Hand-over to a Prometheus Operator, for stack: prometheus-operator.")
        PrometheusOperatorSpec prometheusOperator,
    @Doc("Blackbox exporter: endpoint probes and certificate expiry.")
        BlackboxExporterSpec blackboxExporter,
    @Doc("SNMP exporter: interfaces and uptime of network devices (off until devices are listed).")
        SnmpExporterSpec snmpExporter) {}
