package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.SecretRef;

@Doc(
    "cert-manager's controller and the Let's Encrypt ClusterIssuers letsencrypt-staging and"
        + " letsencrypt-prod that sign the production Ingresses' certificates. Rendered in production"
        + " unless the cluster already runs cert-manager (enabled: false). Its CRDs are installed"
        + " from cert-manager's release, not by Vigil.")
public record CertManagerSpec(
    @Doc(
            "Render cert-manager: unset means on in production, off in homelab; false when the cluster"
                + " already has it.")
        Boolean enabled,
    @Doc("Namespace of cert-manager; the DNS-01 credentials' Secrets live here.")
        @Default("cert-manager")
        String namespace,
    @Doc("Container resources of the controller.") Resources resources,
    @Doc("E-mail address Let's Encrypt sends expiry warnings to (optional).") String email,
    @Doc(
            "Solve challenges over DNS instead of HTTP (needed for wildcard names or hosts the"
                + " internet cannot reach); unset: HTTP-01 through the ingress class.")
        Dns01 dns01)
    implements Validated {

  /** The DNS provider of a DNS-01 solver. */
  public enum DnsProvider {
    CLOUDFLARE,
    ROUTE53
  }

  @Doc(
      "A DNS-01 solver: the provider and its credentials, from Secrets in cert-manager's namespace.")
  public record Dns01(
      @Doc("cloudflare or route53.") @Required DnsProvider provider,
      @Doc("Cloudflare API token (Zone:DNS:Edit), for provider cloudflare.") SecretRef apiToken,
      @Doc("AWS region, for provider route53.") String region,
      @Doc("AWS access key id, for provider route53; unset: the pod's cloud identity.")
          String accessKeyId,
      @Doc("AWS secret access key, for provider route53 with accessKeyId.")
          SecretRef secretAccessKey)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if (provider == DnsProvider.CLOUDFLARE && apiToken == null) {
        checks.error("apiToken", "provider cloudflare needs apiToken: {secret: {name, key}}");
      }
      if (provider == DnsProvider.ROUTE53 && region == null) {
        checks.error("region", "provider route53 needs the AWS region");
      }
      if ((accessKeyId == null) != (secretAccessKey == null)) {
        checks.error(
            accessKeyId == null ? "accessKeyId" : "secretAccessKey",
            "set both accessKeyId and secretAccessKey, or neither (to use the pod's cloud identity)");
      }
      InClusterSecrets.check(checks, "apiToken", apiToken, "cert-manager");
      InClusterSecrets.check(checks, "secretAccessKey", secretAccessKey, "cert-manager");
    }
  }

  @Override
  public void validate(Checks checks) {
    if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      checks.error(
          "namespace", "expected a namespace name (DNS label), got " + Excerpts.quoted(namespace));
    }
    if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      checks.error("email", "expected an e-mail address, got " + Excerpts.quoted(email));
    }
  }

  /** Whether it is rendered for a station of this profile. */
  public boolean renderedFor(Profile profile) {
    return enabled != null ? enabled : profile == Profile.PRODUCTION;
  }
}
