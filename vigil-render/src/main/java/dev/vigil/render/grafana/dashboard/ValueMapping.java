package dev.vigil.render.grafana.dashboard;

import java.util.Objects;

/**
 * Shows a raw value as text with a colour, e.g. {@code 1} as "Ready" in green. A panel emits all
 * its value mappings as one Grafana {@code "type": "value"} mapping, in the order added.
 */
public record ValueMapping(String value, String text, String color) {
  public ValueMapping {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(color, "color");
  }

  public static ValueMapping of(String value, String text, String color) {
    return new ValueMapping(value, text, color);
  }
}
