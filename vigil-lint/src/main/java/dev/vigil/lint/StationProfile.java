package dev.vigil.lint;

import java.util.Locale;

/**
 * The kind of station the manifests are meant for. Some rules (externally exposed Services) only
 * make sense in production: a homelab legitimately uses NodePort to reach Grafana.
 */
public enum StationProfile {
  HOMELAB,
  PRODUCTION;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StationProfile parse(String s) {
    for (StationProfile p : values()) {
      if (p.label().equalsIgnoreCase(s.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown station profile '" + s + "' (expected homelab or production)");
  }
}
