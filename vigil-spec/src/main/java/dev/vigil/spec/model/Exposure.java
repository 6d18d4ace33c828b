package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;

@Doc("External access: NodePorts in the homelab profile, Ingress with TLS in production.")
public record Exposure(@Doc("Ingress settings (production profile).") Ingress ingress) {

  @Doc("Ingress with a certificate from a cert-manager issuer.")
  public record Ingress(
      @Doc("IngressClass name.") @dev.vigil.spec.bind.Default("nginx") String className,
      @Doc("DNS domain; each component is served at <component>.<domain> unless its host is set.")
          String domain,
      @Doc("cert-manager ClusterIssuer that signs the certificates.")
          @dev.vigil.spec.bind.Default("letsencrypt-prod")
          String clusterIssuer) {}
}
