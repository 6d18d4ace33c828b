package dev.vigil.lint.rules;

import static dev.vigil.lint.LintProfile.VIGIL;
import static dev.vigil.lint.Severity.ERROR;

import dev.vigil.lint.Context;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.StationProfile;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What reaches the monitoring APIs from outside the cluster: their HTTP APIs have no authentication
 * of their own (anyone who reaches Prometheus can read every series, anyone who reaches Loki can
 * push and query, anyone who reaches Alertmanager can silence a page), so in a production station
 * the way in must authenticate; and the APIs that change or stop the server stay off.
 */
final class ExposureRules {
  private ExposureRules() {}

  /**
   * Images, by short name, serving an HTTP API without authentication of their own. Grafana is not
   * here: it has its own login.
   */
  static final Set<String> OPEN_API_IMAGES =
      Set.of(
          "prometheus",
          "alertmanager",
          "loki",
          "tempo",
          "pushgateway",
          "thanos",
          "mimir",
          "victoria-metrics");

  /**
   * Flags of Prometheus and the Pushgateway that open the shutdown, reload and delete endpoints.
   */
  static final List<String> WRITE_API_FLAGS =
      List.of("--web.enable-lifecycle", "--web.enable-admin-api");

  private static final String NGINX = "nginx.ingress.kubernetes.io/";
  private static final String TRAEFIK_MIDDLEWARES =
      "traefik.ingress.kubernetes.io/router.middlewares";

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    r.add(
        new ObjectRule(
            "api-exposed-without-auth",
            ERROR,
            VIGIL,
            "network",
            "Monitoring APIs are not reachable from outside without authentication",
            "With the production station profile, an Ingress whose backend Service selects the pods of"
                + " an API without authentication of its own ("
                + String.join(", ", new java.util.TreeSet<>(OPEN_API_IMAGES))
                + ", by image short name) must authenticate: ingress-nginx's auth-url (oauth2-proxy),"
                + " auth-type with auth-secret (basic auth) or auth-tls-verify-client: on (mTLS), or a"
                + " Traefik router middleware; a Traefik Middleware in the linted set must be basicAuth,"
                + " digestAuth or forwardAuth (one outside the set is trusted). A NodePort or"
                + " LoadBalancer Service selecting such pods is flagged outright: nothing authenticates"
                + " on that path. Grafana is not flagged: it has its own login.",
            "Put the API behind oauth2-proxy or basic auth on the Ingress, or keep its Service ClusterIP.",
            List.of("Ingress", "Service"),
            ExposureRules::exposedWithoutAuth));
    r.add(
        pod(
            "write-api-enabled",
            ERROR,
            "security",
            "Lifecycle and admin APIs stay off",
            "--web.enable-lifecycle lets anyone who reaches the port POST /-/quit and /-/reload;"
                + " --web.enable-admin-api lets them delete series and snapshot the TSDB. Neither has"
                + " authentication. Reload configuration with a signal instead (a reloader sidecar"
                + " sending SIGHUP in a shared process namespace). The operator's Prometheus resource is"
                + " write-api-enabled-operator.",
            "Remove the flag; reload with SIGHUP.",
            ExposureRules::writeApiEnabled));
    r.add(
        new ObjectRule(
            "write-api-enabled-operator",
            ERROR,
            VIGIL,
            "security",
            "The operator's admin API stays off",
            "A Prometheus resource (monitoring.coreos.com) with spec.enableAdminAPI: true makes the"
                + " operator start Prometheus with --web.enable-admin-api: anyone who reaches it can"
                + " delete series.",
            "Remove spec.enableAdminAPI.",
            List.of("Prometheus"),
            ExposureRules::operatorAdminApi));
    return r;
  }

  private static Rule pod(
      String id,
      dev.vigil.lint.Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      PodRule.Check c) {
    return new PodRule(id, sev, VIGIL, category, title, doc, fix, c);
  }

  private static void exposedWithoutAuth(Manifest m, Context ctx) {
    if (ctx.config().stationProfile() != StationProfile.PRODUCTION) {
      return;
    }
    if (m.kind().equals("Service")) {
      Map<String, Object> spec = YamlValues.map(m.root(), "spec");
      String type = YamlValues.str(spec, "type");
      if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
        String api = openApi(ctx, m);
        if (api != null) {
          ctx.report(
              m,
              spec,
              "Service of type "
                  + type
                  + " exposes "
                  + api
                  + ", which has no authentication of its own");
        }
      }
      return;
    }
    if (!m.kind().equals("Ingress") || authenticates(ctx, m)) {
      return;
    }
    for (Object b : ClusterRules.backends(YamlValues.map(m.root(), "spec"))) {
      String name =
          YamlValues.has(b, "service")
              ? YamlValues.str(YamlValues.map(b, "service"), "name")
              : YamlValues.str(b, "serviceName");
      if (name == null) {
        continue;
      }
      for (Manifest svc : ctx.ofKindIn("Service", m.namespace())) {
        String api = svc.name().equals(name) ? openApi(ctx, svc) : null;
        if (api != null) {
          ctx.report(
              m,
              b,
              "Ingress reaches "
                  + api
                  + " (Service "
                  + name
                  + ") without authentication:"
                  + " no auth-url, auth-type/auth-secret, auth-tls-verify-client or Traefik middleware");
        }
      }
    }
  }

  /** The open API a Service's pods run, by image short name, or null. */
  private static String openApi(Context ctx, Manifest service) {
    for (PodSpec p : ClusterRules.servicePods(ctx, service)) {
      for (PodSpec.Container c : p.longRunning()) {
        String name = ImageReference.of(ctx, c.image()).shortName();
        if (OPEN_API_IMAGES.contains(name)) {
          return name;
        }
      }
    }
    return null;
  }

  private static boolean authenticates(Context ctx, Manifest ingress) {
    Map<String, Object> a =
        YamlValues.map(YamlValues.map(ingress.root(), "metadata"), "annotations");
    if (present(a, NGINX + "auth-url")) {
      return true;
    }
    if (present(a, NGINX + "auth-type") && present(a, NGINX + "auth-secret")) {
      return true;
    }
    if ("on".equals(YamlValues.str(a, NGINX + "auth-tls-verify-client"))
        && present(a, NGINX + "auth-tls-secret")) {
      return true;
    }
    String middlewares = YamlValues.str(a, TRAEFIK_MIDDLEWARES);
    return middlewares != null && !middlewares.isBlank() && traefikAuthenticates(ctx, middlewares);
  }

  /**
   * Traefik names a middleware {@code <namespace>-<name>@kubernetescrd}; when one of them is in the
   * linted set, it must authenticate. Any middleware outside the set is trusted.
   */
  private static boolean traefikAuthenticates(Context ctx, String refs) {
    boolean anyKnown = false;
    for (String ref : refs.split(",")) {
      String id = ref.strip();
      int at = id.indexOf('@');
      if (at >= 0) {
        id = id.substring(0, at);
      }
      Manifest found = null;
      for (Manifest mw : ctx.ofKind("Middleware")) {
        if ((mw.namespace() + "-" + mw.name()).equals(id)) {
          found = mw;
        }
      }
      if (found == null) {
        return true;
      }
      anyKnown = true;
      Map<String, Object> spec = YamlValues.map(found.root(), "spec");
      if (YamlValues.has(spec, "basicAuth")
          || YamlValues.has(spec, "digestAuth")
          || YamlValues.has(spec, "forwardAuth")) {
        return true;
      }
    }
    return !anyKnown;
  }

  private static boolean present(Map<String, Object> annotations, String key) {
    String v = YamlValues.str(annotations, key);
    return v != null && !v.isBlank();
  }

  private static void writeApiEnabled(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.longRunning()) {
      List<Object> words = new ArrayList<>(YamlValues.list(c.body(), "command"));
      words.addAll(YamlValues.list(c.body(), "args"));
      for (Object w : words) {
        String s = String.valueOf(w);
        for (String flag : WRITE_API_FLAGS) {
          if (s.equals(flag) || s.equals(flag + "=true")) {
            ctx.report(
                p.owner(),
                c.body(),
                c.describe()
                    + " enables "
                    + flag.substring(2)
                    + ": unauthenticated clients can stop or change the server");
          }
        }
      }
    }
  }

  private static void operatorAdminApi(Manifest m, Context ctx) {
    if (!m.apiVersion().startsWith("monitoring.coreos.com/")) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    if (YamlValues.isTrue(spec, "enableAdminAPI")) {
      ctx.report(m, spec, "enableAdminAPI: true starts Prometheus with --web.enable-admin-api");
    }
  }
}
