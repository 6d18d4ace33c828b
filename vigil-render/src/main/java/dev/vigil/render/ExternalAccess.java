package dev.vigil.render;

import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.spec.model.Access;
import dev.vigil.spec.model.Exposure.Ingress;
import dev.vigil.spec.model.Exposure.IngressAuth;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a component with a UI or API is reached from outside: a NodePort in the homelab profile (the
 * ports operators already know, on a network they trust), an Ingress with a cert-manager
 * certificate in production — behind the ingress controller's authentication for the APIs that have
 * no login of their own, and reachable only from the controller's namespace.
 */
public final class ExternalAccess {
  /** Whether the component authenticates people itself. */
  public enum Login {
    /** Its own login (Grafana). */
    OWN,
    /** None (Prometheus, Alertmanager, Loki): the Ingress must authenticate. */
    NONE
  }

  static final String NGINX = "nginx.ingress.kubernetes.io/";

  private ExternalAccess() {}

  private static boolean exposed(Access access) {
    return access == null || access.expose();
  }

  /** The NodePort to use, or 0 for none. */
  public static int nodePort(RenderContext ctx, Access access, int homelabDefault) {
    if (!exposed(access)) {
      return 0;
    }
    if (access != null && access.nodePort() != null) {
      return access.nodePort();
    }
    return ctx.production() ? 0 : homelabDefault;
  }

  /** The external host of a component in production, when an Ingress domain is configured. */
  public static Optional<String> host(RenderContext ctx, Access access, String component) {
    if (!ctx.production() || !exposed(access)) {
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

  /**
   * An Ingress with TLS for the component's Service, or empty outside production. For a component
   * without a login, the ingress controller authenticates first (the spec refuses a production
   * station that exposes one without {@code exposure.ingress.auth}).
   */
  public static Optional<io.fabric8.kubernetes.api.model.networking.v1.Ingress> ingress(
      ComponentObjects kit, Access access, String service, int port, Login login) {
    RenderContext ctx = kit.ctx();
    Optional<String> host = host(ctx, access, kit.name());
    if (host.isEmpty()) {
      return Optional.empty();
    }
    Ingress ing = ingress(ctx);
    String className = ing == null ? "nginx" : ing.className();
    String issuer = ing == null ? "letsencrypt-prod" : ing.clusterIssuer();
    var meta = kit.meta(kit.name());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("cert-manager.io/cluster-issuer", issuer);
    if (login == Login.NONE && ing != null) {
      annotations.putAll(authAnnotations(ing.auth(), kit.name()));
    }
    meta.setAnnotations(annotations);
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

  /** ingress-nginx's annotations for basic auth from a Secret, or external auth by oauth2-proxy. */
  static Map<String, String> authAnnotations(IngressAuth auth, String component) {
    Map<String, String> a = new LinkedHashMap<>();
    if (auth == null) {
      return a;
    }
    if (auth.basicAuthSecret() != null) {
      a.put(NGINX + "auth-type", "basic");
      a.put(NGINX + "auth-secret", auth.basicAuthSecret());
      a.put(NGINX + "auth-realm", "Vigil " + component);
    } else if (auth.oauth2ProxyUrl() != null) {
      String base = auth.oauth2ProxyUrl().replaceAll("/+$", "");
      a.put(NGINX + "auth-url", base + "/oauth2/auth");
      a.put(NGINX + "auth-signin", base + "/oauth2/start?rd=$scheme://$host$escaped_request_uri");
      a.put(NGINX + "auth-response-headers", "X-Auth-Request-User,X-Auth-Request-Email");
    }
    return a;
  }

  /**
   * Lets people in on the web port from where they come: through the NodePort (homelab: any source,
   * as the NodePort's traffic arrives from every node) or through the ingress controller
   * (production: its namespace only); nothing when the component is not exposed.
   */
  public static void allowFromOutside(
      NetPol np,
      RenderContext ctx,
      Access access,
      String component,
      int nodePortDefault,
      int port) {
    if (host(ctx, access, component).isPresent()) {
      Ingress ing = ingress(ctx);
      np.allowIn(List.of(NetPol.tcp(port)), NetPol.namespace(ing.controllerNamespace()));
    } else if (nodePort(ctx, access, nodePortDefault) > 0) {
      np.allowIn(List.of(NetPol.tcp(port)));
    }
  }

  /** The URL the component is reached at from outside, for --web.external-url and root_url. */
  public static Optional<String> externalUrl(RenderContext ctx, Access access, String component) {
    return host(ctx, access, component).map(h -> "https://" + h + "/");
  }
}
