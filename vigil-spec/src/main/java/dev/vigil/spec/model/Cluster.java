package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import java.util.Map;

@Doc("The Kubernetes cluster the stack is rendered for.")
public record Cluster(
    @Doc("Cluster name; becomes the `cluster` external label of every series and alert.") @Required
        String name,
    @Doc("Namespace of the monitoring stack.") @Default("monitoring") String namespace,
    @Doc("Namespace of infrastructure services (chrony, syslog gateway).")
        @Default("infrastructure")
        String infraNamespace,
    @Doc("Cluster DNS domain used for in-cluster service URLs.") @Default("cluster.local")
        String domain,
    @Doc(
            "Extra labels added to every series leaving Prometheus (federation, remote write, alerts).")
        Map<String, String> externalLabels,
    @Doc(
            "Addresses of DNS servers outside kube-system's pods that workloads may query on port 53:"
                + " NodeLocal DNSCache's link-local address (its default), and in its iptables mode the"
                + " kube-dns Service IP, which the node-local cache answers on the host network.")
        @Default("[169.254.20.10]")
        java.util.List<dev.vigil.spec.types.IpAddress> dnsAddresses) {}
