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
          String clusterIssuer,
      @Doc(
              "Namespace of the ingress controller's pods: in production the exposed components accept"
                  + " traffic on their web port from there only.")
          @dev.vigil.spec.bind.Default("ingress-nginx")
          String controllerNamespace,
      @Doc(
              "How the ingress authenticates people before they reach Prometheus, Alertmanager and"
                  + " Loki, whose APIs have no login of their own (Grafana has its own). Required in"
                  + " production for every such API that is exposed.")
          IngressAuth auth) {}

  @Doc(
      "Authentication by the ingress controller (ingress-nginx annotations): exactly one of the two.")
  public record IngressAuth(
      @Doc(
              "HTTP basic auth: name of an existing Secret in the stack's namespace whose key `auth`"
                  + " holds htpasswd lines (bcrypt), e.g. from `htpasswd -cB auth alice`.")
          String basicAuthSecret,
      @Doc(
              "Single sign-on through an oauth2-proxy (or a compatible service) at this https URL:"
                  + " the ingress asks <url>/oauth2/auth and sends people to <url>/oauth2/start.")
          String oauth2ProxyUrl) {}
}
