package dev.vigil.render;

import dev.vigil.render.k8s.Kit;
import dev.vigil.spec.model.Access;
import dev.vigil.spec.model.Exposure.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * How a component with a UI or API is reached from outside: a NodePort in the homelab profile
 * (the ports operators already know), an Ingress with a cert-manager certificate in production.
 */
public final class Exposure {
  private Exposure() {}

  /** The NodePort to use, or 0 for none. */
  public static int nodePort(RenderContext ctx, Access access, int homelabDefault) {
    if (access != null && access.nodePort() != null) {
      return access.nodePort();
    }
    return ctx.production() ? 0 : homelabDefault;
  }

  /** The external host of a component in production, when an Ingress domain is configured. */
  public static Optional<String> host(RenderContext ctx, Access access, String component) {
    if (!ctx.production()) {
      return Optional.empty();
    }
    if (access != null && access.host() != null) {
      return Optional.of(access.host());
    }
    Ingress ingress = ingress(ctx);
    if (ingress == null || ingress.domain() == null) {
      return Optional.empty();
    }
    return Optional.of(component + "." + ingress.domain());
  }

  static Ingress ingress(RenderContext ctx) {
    return ctx.station().exposure().ingress();
  }

  /** An Ingress with TLS for the component's Service, or empty outside production. */
  public static Optional<io.fabric8.kubernetes.api.model.networking.v1.Ingress> ingress(
      Kit kit, Access access, String service, int port) {
    RenderContext ctx = kit.ctx();
    Optional<String> host = host(ctx, access, kit.name());
    if (host.isEmpty()) {
      return Optional.empty();
    }
    Ingress ing = ingress(ctx);
    String className = ing == null ? "nginx" : ing.className();
    String issuer = ing == null ? "letsencrypt-prod" : ing.clusterIssuer();
    var meta = kit.meta(kit.name());
    meta.setAnnotations(Map.of("cert-manager.io/cluster-issuer", issuer));
    return Optional.of(
        new IngressBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withIngressClassName(className)
            .addNewTl()
            .withHosts(host.get())
            .withSecretName(kit.name() + "-tls")
            .endTl()
            .addNewRule()
            .withHost(host.get())
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(service)
            .withNewPort()
            .withNumber(port)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec()
            .build());
  }

  /** The URL the component is reached at from outside, for --web.external-url and root_url. */
  public static Optional<String> externalUrl(RenderContext ctx, Access access, String component) {
    return host(ctx, access, component).map(h -> "https://" + h + "/");
  }
}
