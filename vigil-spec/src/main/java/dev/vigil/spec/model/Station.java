package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.power.PowerSpec;
import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.spec.time.TimeSpec;
import java.util.List;

/** The root of vigil.yaml: one station, its cluster, its stack and its agent. */
@Doc("A Vigil station: a cluster, its nodes, and the observability stack and agent that serve it.")
public record Station(
    @Doc("Spec format version; must be vigil.dev/v1.") @Required String apiVersion,
    @Doc("Must be Station.") @Required String kind,
    @Doc("The Kubernetes cluster the stack runs in.") @Required Cluster cluster,
    @Doc(
            "homelab: NodePorts, single replicas, anonymous viewer; production: Ingress with TLS, HA replicas, SSO login.")
        @Default("homelab")
        Profile profile,
    @Doc("The cluster's nodes: addressed for time checks, woken and put to sleep by the agent.")
        List<Node> nodes,
    @Doc("How the stack's UIs and APIs are reached from outside the cluster.") Exposure exposure,
    @Doc(
            "vigil: Vigil renders Prometheus, Alertmanager and Grafana; prometheus-operator: the"
                + " cluster's Prometheus Operator (kube-prometheus-stack) runs them and Vigil renders"
                + " PodMonitors, ServiceMonitors, ScrapeConfigs, PrometheusRules, an AlertmanagerConfig"
                + " and sidecar-labelled dashboard ConfigMaps for it (components.prometheusOperator).")
        @Default("vigil")
        Stack stack,
    @Doc("The stack's components and their settings.") Components components,
    @Doc("Alert receivers and routing.") Alerting alerting,
    @Doc("Syslog gateway of the agent.") SyslogSpec syslog,
    @Doc("Time synchronisation.") TimeSpec time,
    @Doc("Power management: autosleep and Wake-on-LAN.") PowerSpec power,
    @Doc("Identity: FreeIPA in the cluster, or an existing FreeIPA the stack connects to.")
        IdentitySpec identity,
    @Doc("Applications the stack watches through their exporters: PostgreSQL, Redis, NGINX, Kafka.")
        IntegrationsSpec integrations,
    @Doc("Application namespaces whose pods the stack scrapes and whose logs it labels.")
        WatchSpec watch,
    @Doc(
            "Image overrides by image name (`vigil components` lists them: prometheus,"
                + " config-reloader, chrony-exporter, vigil-agent, ...), e.g. a mirror or a digest:"
                + " `prometheus: registry.example.com/prometheus/prometheus@sha256:...`. Pinned tags or"
                + " digests only.")
        java.util.Map<String, String> images) {

  public static final String API_VERSION = "vigil.dev/v1";
  public static final String KIND = "Station";

  /** Replicas for a component that supports HA, unless the spec sets them. */
  public int replicasFor(Integer configured) {
    if (configured != null) {
      return configured;
    }
    return profile == Profile.PRODUCTION ? 2 : 1;
  }
}
