package dev.vigil.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Prometheus rule files shipped as readable YAML resources next to their promtool tests, one per
 * component: {@code rules/<component>.rules.yaml}. "general" rules are always included.
 */
public final class Rules {
  static final String DIR = "/dev/vigil/render/rules/";

  private Rules() {}

  public static Optional<String> forComponent(String component) {
    try (InputStream in = Rules.class.getResourceAsStream(DIR + component + ".rules.yaml")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
