package dev.vigil.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Maps and lists that remember the line they start on. Carrying the line inside the collection
 * costs one int; a side table keyed by identity cost a third of the memory and most of the GC
 * time on large inputs.
 */
final class Located {
  private Located() {}

  /** A YAML mapping with its 1-based start line. */
  static final class LineMap extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    final int line;

    LineMap(int capacity, int line) {
      super(capacity);
      this.line = line;
    }
  }

  /** A YAML sequence with its 1-based start line. */
  static final class LineList extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
    final int line;

    LineList(int capacity, int line) {
      super(capacity);
      this.line = line;
    }
  }

  /** The start line of a map or list read by the loader, or 0. */
  static int line(Object node) {
    if (node instanceof LineMap m) {
      return m.line;
    }
    if (node instanceof LineList l) {
      return l.line;
    }
    return 0;
  }
}
