package dev.vigil.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.Yaml;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object as a person compares two versions of it: without what the server keeps for itself
 * (managed fields, resource version, uid, generation, creation time) and without status, so a
 * diff shows only what an apply changes.
 */
final class Normalized {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Normalized() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> of(Object object) {
    Map<String, Object> m = MAPPER.convertValue(object, LinkedHashMap.class);
    m.remove("status");
    Object meta = m.get("metadata");
    if (meta instanceof Map<?, ?> md) {
      Map<String, Object> metadata = (Map<String, Object>) md;
      for (String k : new String[] {"managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"}) {
        metadata.remove(k);
      }
      Object ann = metadata.get("annotations");
      if (ann instanceof Map<?, ?> a) {
        a.remove("deprecated.daemonset.template.generation");
        if (a.isEmpty()) {
          metadata.remove("annotations");
        }
      }
    }
    return m;
  }

  static String yaml(Object object) {
    return Yaml.write(of(object));
  }
}
