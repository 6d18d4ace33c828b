package dev.vigil.lint;

import java.util.List;
import java.util.Map;

/** Null-tolerant navigation over the plain maps and lists a YAML document binds to. */
public final class YamlValues {
  private YamlValues() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object node, String key) {
    Object v = get(node, key);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object node, String key) {
    Object v = get(node, key);
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }

  public static Object get(Object node, String key) {
    return node instanceof Map<?, ?> m ? m.get(key) : null;
  }

  public static boolean has(Object node, String key) {
    return node instanceof Map<?, ?> m && m.containsKey(key) && m.get(key) != null;
  }

  /** A scalar as text, or null when absent or not a scalar. */
  public static String str(Object node, String key) {
    Object v = get(node, key);
    return scalar(v);
  }

  public static String scalar(Object v) {
    if (v == null || v instanceof Map || v instanceof List) {
      return null;
    }
    return String.valueOf(v);
  }

  /** True only for an explicit boolean true (or the string "true"). */
  public static boolean isTrue(Object node, String key) {
    Object v = get(node, key);
    return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(scalar(v));
  }

  public static boolean isFalse(Object node, String key) {
    Object v = get(node, key);
    return Boolean.FALSE.equals(v) || "false".equalsIgnoreCase(scalar(v));
  }

  /**
   * Whether {@code s} is one or more ASCII digits (what the pattern \d+ matches), without a regex.
   */
  public static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An integer value, or null when absent or not a number. */
  public static Long num(Object node, String key) {
    Object v = get(node, key);
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
