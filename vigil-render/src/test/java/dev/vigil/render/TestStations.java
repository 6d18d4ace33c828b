package dev.vigil.render;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;

/** The default station, optionally with overlays merged over it, as `vigil render -e` would. */
public final class TestStations {
  /** Overlay turning the default station into a production one (which needs a Grafana login). */
  public static final String PRODUCTION =
      "profile: production\n"
          + "exposure:\n  ingress:\n    domain: example.org\n    auth: {basicAuthSecret: monitoring-htpasswd}\n"
          + "components:\n  grafana:\n    auth:\n      anonymous: none\n      oidc:\n"
          + "        authUrl: https://sso.example.org/auth\n"
          + "        tokenUrl: https://sso.example.org/token\n"
          + "        apiUrl: https://sso.example.org/userinfo\n"
          + "        clientId: grafana\n"
          + "        clientSecret: {secret: {name: grafana-oidc, key: client-secret}}\n";

  /** Overlay that scrapes every optional part of the cluster, so each of their rules renders. */
  public static final String EVERY_CLUSTER_PART =
      "components:\n  kubernetes:\n    scheduler: true\n    controllerManager: true\n    etcd: true\n    certManager: true\n";

  /** Overlay turning on the components that are off by default for traces. */
  public static final String TRACES =
      "components:\n  tempo: {enabled: true}\n"
          + "  otelCollector:\n    enabled: true\n    namespaces: [shop]\n    instrumentation: {enabled: true}\n";

  /** Overlay rendering the edge (controller and certificates) whatever the profile. */
  public static final String EDGE =
      "components:\n  ingressNginx: {enabled: true}\n  certManager: {enabled: true}\n";

  private TestStations() {}

  public static Station defaults() {
    return SpecLoader.loadDefault().orThrow();
  }

  public static Station with(String... overlays) {
    List<Source> sources = new ArrayList<>();
    sources.add(new Source(SpecLoader.DEFAULT_NAME, SpecLoader.defaultText()));
    for (int i = 0; i < overlays.length; i++) {
      sources.add(new Source("overlay-" + i + ".yaml", overlays[i]));
    }
    return SpecLoader.load(sources).orThrow();
  }

  /** A station from its own document, not merged over the default one. */
  public static Station of(String yaml) {
    return SpecLoader.load(List.of(new Source("station.yaml", yaml))).orThrow();
  }

  /** The render context the stack renderer would build for {@code station}. */
  public static RenderContext context(Station station) {
    StackRenderer stack = new StackRenderer();
    return new RenderContext(
        station, stack.renderers().stream().filter(r -> r.enabled(station)).toList());
  }
}
