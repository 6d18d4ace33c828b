package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("The cluster's own programs as Vigil scrapes them: the kubelets, the control plane, CoreDNS and"
    + " cert-manager. Vigil deploys none of them; a switch that is off means no scrape job and no alerts,"
    + " so a component the cluster does not expose never pages.")
public record KubernetesSpec(
    @Doc("How Prometheus checks the kubelets' serving certificates (kubelet and cAdvisor jobs; always"
        + " TLS with the ServiceAccount token). skip-verify: kubeadm's default kubelet certificates are"
        + " self-signed, as are k3s' and RKE2's. verify: against the cluster CA; needs serverTLSBootstrap:"
        + " true in every kubelet's configuration and the kubelet serving CSRs approved.")
        @Default("skip-verify")
        KubeletTls kubeletTls) {

  /** How the kubelets' serving certificates are checked. */
  public enum KubeletTls {
    SKIP_VERIFY,
    VERIFY
  }
}
