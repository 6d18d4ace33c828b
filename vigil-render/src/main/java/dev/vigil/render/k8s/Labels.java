package dev.vigil.render.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app.kubernetes.io labels every rendered object carries. Selectors use only name and instance,
 * never the version, so an upgrade does not orphan pods.
 */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private Labels() {}

  public static Map<String, String> selector(String name, String instance) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(NAME, name);
    m.put(INSTANCE, instance);
    return m;
  }

  public static Map<String, String> all(String name, String instance, String role, String version) {
    Map<String, String> m = selector(name, instance);
    m.put(COMPONENT, role);
    m.put(PART_OF, "vigil");
    m.put(VERSION, version);
    m.put(MANAGED_BY, "vigil");
    return m;
  }
}
