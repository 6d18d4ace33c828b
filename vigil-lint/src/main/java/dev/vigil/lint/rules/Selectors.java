package dev.vigil.lint.rules;

import dev.vigil.lint.Y;
import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics (matchLabels and matchExpressions). */
final class Selectors {
  private Selectors() {}

  /** Whether {@code selector} selects {@code labels}; an empty selector selects everything. */
  static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    for (Map.Entry<String, Object> e : Y.map(selector, "matchLabels").entrySet()) {
      if (!String.valueOf(e.getValue()).equals(Y.scalar(labels.get(e.getKey())))) {
        return false;
      }
    }
    for (Object expr : Y.list(selector, "matchExpressions")) {
      String key = Y.str(expr, "key");
      String op = String.valueOf(Y.str(expr, "operator"));
      List<String> values = Y.list(expr, "values").stream().map(String::valueOf).toList();
      String v = Y.scalar(labels.get(key));
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
