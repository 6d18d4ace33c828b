package dev.vigil.lint;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * The implicit tags of snakeyaml-engine's default (JSON) schema, decided by hand for the common
 * first characters instead of by regular expression: {@code true}/{@code false}, {@code null} or
 * empty, {@code -?(0|[1-9][0-9]*)} integers, JSON floats with {@code .inf} and {@code .nan}, and
 * everything else a string. Rare shapes ({@code ${ENV}}) go to the library's resolver; a property
 * test holds the two equal.
 */
final class JsonTags {
  static final ScalarResolver LIBRARY =
      LoadSettings.builder().build().getSchema().getScalarResolver();

  private JsonTags() {}

  static Tag resolve(String v, boolean plain) {
    if (!plain) {
      return Tag.STR;
    }
    if (v.isEmpty()) {
      return Tag.NULL;
    }
    char c = v.charAt(0);
    switch (c) {
      case 't', 'f' -> {
        return v.equals("true") || v.equals("false") ? Tag.BOOL : Tag.STR;
      }
      case 'n' -> {
        return v.equals("null") ? Tag.NULL : Tag.STR;
      }
      case '$' -> {
        return LIBRARY.resolve(v, true);
      }
      case '.' -> {
        return isFloat(v) ? Tag.FLOAT : Tag.STR;
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          if (isInt(v)) {
            return Tag.INT;
          }
          return isFloat(v) ? Tag.FLOAT : Tag.STR;
        }
        return Tag.STR;
      }
    }
  }

  /** {@code -?(0|[1-9][0-9]*)} in full. */
  static boolean isInt(String v) {
    int i = v.startsWith("-") ? 1 : 0;
    int end = digits(v, i);
    if (end == i) {
      return false;
    }
    if (v.charAt(i) == '0' && end - i > 1) {
      return false;
    }
    return end == v.length();
  }

  /**
   * {@code -?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?}, {@code -?\.inf} or {@code \.nan} in
   * full.
   */
  static boolean isFloat(String v) {
    if (v.equals(".inf") || v.equals("-.inf") || v.equals(".nan")) {
      return true;
    }
    int i = v.startsWith("-") ? 1 : 0;
    int end = digits(v, i);
    if (end == i || (v.charAt(i) == '0' && end - i > 1)) {
      return false;
    }
    i = end;
    if (i < v.length() && v.charAt(i) == '.') {
      i = digits(v, i + 1);
    }
    if (i < v.length() && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i++;
      if (i < v.length() && (v.charAt(i) == '-' || v.charAt(i) == '+')) {
        i++;
      }
      int e = digits(v, i);
      if (e == i) {
        return false;
      }
      i = e;
    }
    return i == v.length();
  }

  private static int digits(String v, int i) {
    while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
      i++;
    }
    return i;
  }
}
