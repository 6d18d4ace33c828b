package dev.vigil.cli;

import dev.vigil.lint.LintConfig;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Linter;
import dev.vigil.lint.Report;
import dev.vigil.lint.Severity;
import dev.vigil.lint.StationProfile;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ImageRef;
import dev.vigil.render.RenderedStack;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rendered stack checked by the same rules as {@code vigil lint}, before anything is written:
 * one set of checks for what Vigil renders and what users bring.
 */
final class StackLint {
  private StackLint() {}

  /**
   * The configuration the render is held to: the vigil profile, the station's profile (what
   * service-exposed and api-exposed-without-auth read), the stack's stateful images, and the
   * default registries plus those the spec's image overrides name: a mirror the operator chose is
   * not a finding.
   */
  static LintConfig config(Station station, RenderedStack stack) {
    Set<String> registries = new LinkedHashSet<>(LintConfig.DEFAULT_REGISTRIES);
    for (String image : stack.images()) {
      registries.add(registry(image));
    }
    return LintConfig.defaults()
        .withProfile(LintProfile.VIGIL)
        .withFailOn(Severity.WARNING)
        .withStationProfile(StationProfile.parse(station.profile().name().toLowerCase(Locale.ROOT)))
        .withRegistries(List.copyOf(registries))
        .withStatefulImages(statefulImageNames());
  }

  static Report run(Station station, RenderedStack stack) {
    return new Linter(config(station, stack)).lintTexts(stack.files());
  }

  /** The rendered files as given (a test changes them), under the station's configuration. */
  static Report run(Station station, RenderedStack stack, java.util.Map<String, String> files) {
    return new Linter(config(station, stack)).lintTexts(files);
  }

  /** The registry host of an image reference; docker.io when it names none. */
  static String registry(String image) {
    String repository = ImageRef.repository(image);
    int slash = repository.indexOf('/');
    if (slash > 0) {
      String head = repository.substring(0, slash);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        return head;
      }
    }
    return "docker.io";
  }

  /**
   * The main images of the components Vigil declares stateful, by short name: what
   * stateful-monitoring holds a Deployment to when no list is configured.
   */
  static List<String> statefulImageNames() {
    List<String> names = new ArrayList<>();
    for (Component c : ComponentRegistry.load().components()) {
      if (c.stateful() && c.image() != null) {
        String repository = ImageRef.repository(c.image().reference());
        names.add(repository.substring(repository.lastIndexOf('/') + 1));
      }
    }
    return names;
  }
}
