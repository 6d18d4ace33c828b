package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc(
    "The cluster's own programs as Vigil scrapes them: the kubelets, the control plane, CoreDNS and"
        + " cert-manager. Vigil deploys none of them; a switch that is off means no scrape job and no alerts,"
        + " so a component the cluster does not expose never pages.")
public record KubernetesSpec(
    @Doc(
            "How Prometheus checks the kubelets' serving certificates (kubelet and cAdvisor jobs; always"
                + " TLS with the ServiceAccount token). skip-verify: kubeadm's default kubelet certificates are"
                + " self-signed, as are k3s' and RKE2's. verify: against the cluster CA; needs serverTLSBootstrap:"
                + " true in every kubelet's configuration and the kubelet serving CSRs approved.")
        @Default("skip-verify")
        KubeletTls kubeletTls,
    @Doc(
            "Scrape kube-scheduler on the control-plane nodes (HTTPS 10259). Off by default: kubeadm, k3s"
                + " and RKE2 bind it to 127.0.0.1; turn it on after setting its bind address to the node address."
                + " Managed control planes do not expose it.")
        @Default("false")
        boolean scheduler,
    @Doc(
            "Scrape kube-controller-manager on the control-plane nodes (HTTPS 10257). Off by default, for"
                + " the same reason as the scheduler.")
        @Default("false")
        boolean controllerManager,
    @Doc(
            "Scrape etcd's metrics listener on the control-plane nodes (plain HTTP 2381). Off by default:"
                + " kubeadm and RKE2 listen on 127.0.0.1 only (RKE2: etcd-expose-metrics: true opens it; k3s with"
                + " embedded etcd: --etcd-expose-metrics).")
        @Default("false")
        boolean etcd,
    @Doc(
            "Scrape CoreDNS (pods labelled k8s-app=kube-dns in kube-system, port 9153). kubeadm, k3s and"
                + " RKE2 all run it that way.")
        @Default("true")
        boolean coredns,
    @Doc(
            "Scrape cert-manager's controller (pods of namespace cert-manager labelled"
                + " app.kubernetes.io/name=cert-manager, port 9402, as its chart and manifests install it) and alert"
                + " on its certificates."
                + " By default on in the production profile with an Ingress domain (Vigil's Ingresses take their"
                + " certificates from cert-manager), and off otherwise.")
        Boolean certManager) {

  /** How the kubelets' serving certificates are checked. */
  public enum KubeletTls {
    SKIP_VERIFY,
    VERIFY
  }

  /** Whether cert-manager is scraped for this station. */
  public boolean certManagerOn(Profile profile, Exposure exposure) {
    if (certManager != null) {
      return certManager;
    }
    return profile == Profile.PRODUCTION
        && exposure != null
        && exposure.ingress() != null
        && exposure.ingress().domain() != null;
  }
}
