package dev.vigil.lint.rules;

import dev.vigil.lint.Located;
import dev.vigil.lint.YamlValues;
import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics (matchLabels and matchExpressions). */
final class Selectors {
  private Selectors() {}

  /** A selector value and a label value as the API compares them: as text. */
  private static boolean same(Object want, Object have) {
    if (have == null || have instanceof Map || have instanceof List) {
      return false;
    }
    return want == have || String.valueOf(want).equals(String.valueOf(have));
  }

  /** Whether {@code selector} selects {@code labels}; an empty selector selects everything. */
  static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    Map<String, Object> ml = YamlValues.map(selector, "matchLabels");
    if (ml instanceof Located.LineMap lm) {
      // Index access: no entry object per label, on the path every selector rule takes.
      for (int i = 0, n = lm.size(); i < n; i++) {
        if (!same(lm.valueAt(i), labels.get(lm.keyAt(i)))) {
          return false;
        }
      }
    } else {
      for (Map.Entry<String, Object> e : ml.entrySet()) {
        if (!same(e.getValue(), labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (Object expr : YamlValues.list(selector, "matchExpressions")) {
      String key = YamlValues.str(expr, "key");
      String op = String.valueOf(YamlValues.str(expr, "operator"));
      List<String> values = YamlValues.list(expr, "values").stream().map(String::valueOf).toList();
      String v = YamlValues.scalar(labels.get(key));
      boolean ok =
          switch (op) {
            case "In" -> v != null && values.contains(v);
            case "NotIn" -> v == null || !values.contains(v);
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
