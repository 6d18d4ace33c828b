package dev.vigil.render;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

  /**
   * The file beside a component's tests holding the overlay that turns it on with representative
   * settings, for the tests that need every component rendered at once.
   */
  public static final String COMPONENT_EXAMPLE = "station-example.yaml";

  private TestStations() {}

  /**
   * Every component's example overlay ({@link #COMPONENT_EXAMPLE} under its test resources), in
   * path order. A component added later brings its own, and nothing here lists it.
   */
  public static synchronized List<String> componentExamples() {
    if (examples == null) {
      examples = readComponentExamples();
    }
    return examples;
  }

  private static List<String> examples;

  private static List<String> readComponentExamples() {
    Path root = Path.of("target", "test-classes", "dev", "vigil", "render");
    try (Stream<Path> files = Files.walk(root)) {
      List<String> overlays = new ArrayList<>();
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().equals(COMPONENT_EXAMPLE))
              .sorted()
              .toList()) {
        overlays.add(Files.readString(f));
      }
      return List.copyOf(overlays);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the components' example overlays under " + root, e);
    }
  }

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
