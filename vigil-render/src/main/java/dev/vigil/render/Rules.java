package dev.vigil.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

  /** File name → rule file, for the general rules and every enabled component that has rules. */
  public static Map<String, String> forComponents(Iterable<String> components) {
    Map<String, String> files = new TreeMap<>();
    forComponent("general").ifPresent(r -> files.put("general.rules.yaml", r));
    for (String c : components) {
      forComponent(c).ifPresent(r -> files.put(c + ".rules.yaml", r));
    }
    return files;
  }
}
