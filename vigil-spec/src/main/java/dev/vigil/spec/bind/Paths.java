package dev.vigil.spec.bind;

/**
 * Field paths as problems show them: {@code a.b}, {@code a[2].b}, and {@code a["k.with/dots"]} for
 * map keys that are not simple names.
 */
public final class Paths {
  private Paths() {}

  /** The path of key {@code key} inside {@code parent}. */
  public static String key(String parent, String key) {
    if (!isSimple(key)) {
      return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /**
   * {@code [A-Za-z_][A-Za-z0-9_-]*}, checked without a regular expression: it runs for every key.
   */
  private static boolean isSimple(String key) {
    if (key.isEmpty() || !(isLetter(key.charAt(0)) || key.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** The path of item {@code index} (0-based) of the sequence at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * Joins a record's path and a path relative to it ({@code "port"}, {@code "listeners[1].port"},
   * {@code "[0]"} or {@code ""}).
   */
  public static String join(String parent, String relative) {
    if (relative.isEmpty()) {
      return parent;
    }
    if (parent.isEmpty() || relative.startsWith("[")) {
      return parent + relative;
    }
    return parent + "." + relative;
  }

  /** The path one level up; the parent of a top-level field is the empty path. */
  public static String parent(String path) {
    if (path.endsWith("]")) {
      int open = openingBracket(path);
      return path.substring(0, open);
    }
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf(']');
    if (dot > bracket) {
      return path.substring(0, dot);
    }
    return bracket >= 0 ? path.substring(0, bracket + 1) : "";
  }

  // A quoted key may itself contain '[' or ']', so scan from the start and respect quotes.
  private static int openingBracket(String path) {
    int lastOpen = -1;
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '[') {
        lastOpen = i;
      }
    }
    return Math.max(lastOpen, 0);
  }
}
