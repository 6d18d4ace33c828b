package dev.vigil.lint;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Maps and lists that remember the line they start on. Carrying the line inside the collection
 * costs one int; a side table keyed by identity cost a third of the memory and most of the GC time
 * on large inputs.
 */
public final class Located {
  private Located() {}

  /**
   * A YAML mapping with its 1-based start line: keys in document order, in two arrays. Manifest
   * mappings are small (a handful of keys), so a linear scan beats hashing, and a large input holds
   * a third of the memory a {@code LinkedHashMap} would (less to copy at every young GC). Past
   * {@link #INDEXED} keys a hash index takes over lookups.
   */
  public static final class LineMap extends AbstractMap<String, Object> {
    private static final int INDEXED = 16;
    final int line;
    private String[] keys;
    private Object[] values;
    private int size;
    private HashMap<String, Integer> index;

    LineMap(int capacity, int line) {
      this.line = line;
      keys = new String[Math.max(2, capacity)];
      values = new Object[keys.length];
    }

    /**
     * A mapping read in full: {@code keys} (distinct) and {@code values} taken as they are, no
     * spare room. Most maps are never changed after reading, and a large input holds hundreds of
     * thousands of them.
     */
    LineMap(int line, String[] keys, Object[] values) {
      this.line = line;
      this.keys = keys;
      this.values = values;
      this.size = keys.length;
      if (size > INDEXED) {
        index = new HashMap<>(size * 2);
        for (int k = 0; k < size; k++) {
          index.put(keys[k], k);
        }
      }
    }

    private int find(Object key) {
      if (index != null) {
        Integer i = index.get(key);
        return i == null ? -1 : i;
      }
      // Keys and the literals rules look up cache their hash: comparing it first makes a miss
      // cheap, and most lookups in a small map are misses.
      int h = key.hashCode();
      for (int i = 0; i < size; i++) {
        String k = keys[i];
        if (k == key || (k.hashCode() == h && k.equals(key))) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean containsKey(Object key) {
      return key != null && find(key) >= 0;
    }

    @Override
    public Object get(Object key) {
      int i = key == null ? -1 : find(key);
      return i < 0 ? null : values[i];
    }

    @Override
    public Object put(String key, Object value) {
      if (key == null) {
        throw new NullPointerException("null key");
      }
      int i = find(key);
      if (i >= 0) {
        Object old = values[i];
        values[i] = value;
        return old;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, Math.max(2, size * 2));
        values = Arrays.copyOf(values, keys.length);
      }
      keys[size] = key;
      values[size] = value;
      if (index != null) {
        index.put(key, size);
      } else if (size + 1 > INDEXED) {
        index = new HashMap<>(size * 2);
        for (int k = 0; k <= size; k++) {
          index.put(keys[k], k);
        }
      }
      size++;
      return null;
    }

    @Override
    public Object remove(Object key) {
      int i = key == null ? -1 : find(key);
      if (i < 0) {
        return null;
      }
      Object old = values[i];
      removeAt(i);
      return old;
    }

    private void removeAt(int i) {
      System.arraycopy(keys, i + 1, keys, i, size - i - 1);
      System.arraycopy(values, i + 1, values, i, size - i - 1);
      size--;
      keys[size] = null;
      values[size] = null;
      if (index != null) {
        index = null;
        if (size > INDEXED) {
          index = new HashMap<>(size * 2);
          for (int k = 0; k < size; k++) {
            index.put(keys[k], k);
          }
        }
      }
    }

    /** The i-th key in document order: walks over every key of every object allocate nothing. */
    public String keyAt(int i) {
      return keys[i];
    }

    /** The i-th value in document order. */
    public Object valueAt(int i) {
      return values[i];
    }

    /** Without an entry object per key. */
    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) {
      for (int i = 0; i < size; i++) {
        action.accept(keys[i], values[i]);
      }
    }

    @Override
    public void clear() {
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
      index = null;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private int next;
            private int last = -1;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Map.Entry<String, Object> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              last = next++;
              int at = last;
              return new AbstractMap.SimpleEntry<>(keys[at], values[at]) {
                private static final long serialVersionUID = 1L;

                @Override
                public Object setValue(Object v) {
                  values[at] = v;
                  return super.setValue(v);
                }
              };
            }

            @Override
            public void remove() {
              if (last < 0) {
                throw new IllegalStateException();
              }
              removeAt(last);
              next = last;
              last = -1;
            }
          };
        }
      };
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
