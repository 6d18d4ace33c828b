package dev.vigil.render.syslog;

import dev.vigil.spec.types.Durations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a bound spec record back as the YAML tree the binder reads: keys are component names,
 * durations as "30s", enums as lower-case names with '-', nulls left out. Rendering a section this
 * way and binding it again gives the same record (tested), so a pod runs exactly the settings of
 * the station it was rendered from.
 */
public final class SpecYaml {
  private SpecYaml() {}

  public static Object tree(Object value) {
    if (value == null) {
      return null;
    }
    if (customScalar(value.getClass())) {
      // Custom scalars (IpAddress, Quantity, ...) print as the text they were parsed from.
      return value.toString();
    }
    if (value instanceof Record r) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        Object v;
        try {
          v = c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException(
              "cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
        Object t = tree(v);
        if (t != null) {
          m.put(c.getName(), t);
        }
      }
      return m;
    }
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> m = new TreeMap<>();
      map.forEach((k, v) -> m.put(String.valueOf(k), tree(v)));
      return m;
    }
    if (value instanceof List<?> list) {
      List<Object> l = new ArrayList<>();
      list.forEach(v -> l.add(tree(v)));
      return l;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return value.toString();
  }

  /** A type the binder reads from a scalar's text: it has {@code public static X parse(String)}. */
  private static boolean customScalar(Class<?> c) {
    try {
      var m = c.getMethod("parse", String.class);
      return java.lang.reflect.Modifier.isStatic(m.getModifiers()) && m.getReturnType() == c;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
