package dev.vigil.lint.rules;

import dev.vigil.lint.Manifest;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Objects holding label selectors (NetworkPolicies, PDBs), indexed by namespace and by one of their
 * matchLabels pairs, so that finding the selectors of a pod does not scan every policy: a linear
 * scan is quadratic on large repositories.
 */
final class SelectorIndex {
  private final Map<String, List<Entry>> byPair = new HashMap<>();
  private final Map<String, List<Entry>> unkeyed = new HashMap<>();

  private record Entry(Manifest owner, Map<String, Object> selector) {}

  SelectorIndex(List<Manifest> objects, Function<Manifest, Map<String, Object>> selectorOf) {
    for (Manifest m : objects) {
      Map<String, Object> sel = selectorOf.apply(m);
      if (sel == null) {
        continue;
      }
      Entry e = new Entry(m, sel);
      Map<String, Object> ml = YamlValues.map(sel, "matchLabels");
      if (ml.isEmpty()) {
        unkeyed.computeIfAbsent(m.namespace(), k -> new ArrayList<>()).add(e);
      } else {
        Map.Entry<String, Object> first = ml.entrySet().iterator().next();
        byPair
            .computeIfAbsent(
                key(m.namespace(), first.getKey(), String.valueOf(first.getValue())),
                k -> new ArrayList<>())
            .add(e);
      }
    }
  }

  private static String key(String ns, String k, String v) {
    return ns + "\u0000" + k + "\u0000" + v;
  }

  /** Whether any indexed selector in {@code namespace} selects {@code labels}. */
  boolean anySelects(String namespace, Map<String, Object> labels) {
    for (Entry e : unkeyed.getOrDefault(namespace, List.of())) {
      if (Selectors.matches(e.selector(), labels)) {
        return true;
      }
    }
    for (Map.Entry<String, Object> l : labels.entrySet()) {
      for (Entry e :
          byPair.getOrDefault(
              key(namespace, l.getKey(), String.valueOf(l.getValue())), List.of())) {
        if (Selectors.matches(e.selector(), labels)) {
          return true;
        }
      }
    }
    return false;
  }
}
