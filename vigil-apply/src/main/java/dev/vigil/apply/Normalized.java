package dev.vigil.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.Yaml;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object as a person compares two versions of it: without what the server keeps for itself
 * (managed fields, resource version, uid, generation, creation time) and without status, so a diff
 * shows only what an apply changes.
 */
final class Normalized {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Normalized() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> of(Object object) {
    Map<String, Object> m = MAPPER.convertValue(object, LinkedHashMap.class);
    m.remove("status");
    dropNulls(m);
    Object meta = m.get("metadata");
    if (meta instanceof Map<?, ?> md) {
      Map<String, Object> metadata = (Map<String, Object>) md;
      for (String k :
          new String[] {
            "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"
          }) {
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

  /**
   * Null and absent mean the same to the API server, and so do 5 read as an int and 5 read as a
   * long (the typed model holds some fields as longs, a parsed answer small numbers as ints):
   * comparing them as different would report changes that are none.
   */
  @SuppressWarnings("unchecked")
  private static void dropNulls(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> m = (Map<String, Object>) map;
      m.values().removeIf(v -> v == null);
      m.replaceAll((k, v) -> number(v));
      m.values().forEach(Normalized::dropNulls);
    } else if (node instanceof java.util.List<?> list) {
      java.util.List<Object> l = (java.util.List<Object>) list;
      l.replaceAll(Normalized::number);
      l.forEach(Normalized::dropNulls);
    }
  }

  private static Object number(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    return v;
  }

  static String yaml(Object object) {
    return Yaml.write(of(object));
  }
}
