package dev.vigil.spec.bind;

import dev.vigil.base.DurationText;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durations in a record's check messages as a spec writes them. A check that concatenates a {@link
 * Duration} prints Java's ISO-8601 form ({@code PT0S}, {@code PT1H30M}), which nobody writes in a
 * spec; the binder replaces the forms of the record's own duration values, and only those, with
 * {@link DurationText#format} ({@code 0s}, {@code 1h30m}).
 */
final class DurationWords {
  /** Nested records are searched this deep; spec records nest far less. */
  private static final int MAX_DEPTH = 8;

  /** Values collected at most, however many list items a record holds. */
  private static final int MAX_VALUES = 1000;

  private DurationWords() {}

  static String rewrite(String message, Object record) {
    Map<String, String> forms = new LinkedHashMap<>();
    collect(record, 0, forms);
    // Longest first, so PT1M30S is replaced whole before PT1M could match inside it.
    List<String> iso = new ArrayList<>(forms.keySet());
    iso.sort(Comparator.comparingInt(String::length).reversed());
    String out = message;
    for (String form : iso) {
      out = replaceWhole(out, form, forms.get(form));
    }
    return out;
  }

  private static void collect(Object value, int depth, Map<String, String> forms) {
    if (value == null || depth > MAX_DEPTH || forms.size() >= MAX_VALUES) {
      return;
    }
    if (value instanceof Duration d) {
      forms.putIfAbsent(d.toString(), DurationText.format(d));
    } else if (value instanceof Collection<?> c) {
      for (Object item : c) {
        collect(item, depth + 1, forms);
        if (forms.size() >= MAX_VALUES) {
          return;
        }
      }
    } else if (value instanceof Map<?, ?> m) {
      collect(m.values(), depth, forms);
    } else if (value.getClass().isRecord()) {
      for (RecordComponent c : Binder.COMPONENTS.get(value.getClass())) {
        try {
          Method accessor = c.getAccessor();
          accessor.setAccessible(true);
          collect(accessor.invoke(value), depth + 1, forms);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // A component that cannot be read has no duration to show.
        }
      }
    }
  }

  /** Replaces {@code form} where it stands as a word of its own, not inside a longer token. */
  private static String replaceWhole(String text, String form, String replacement) {
    StringBuilder sb = new StringBuilder(text.length());
    int from = 0;
    int at;
    while ((at = text.indexOf(form, from)) >= 0) {
      int end = at + form.length();
      boolean whole =
          (at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)))
              && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
      sb.append(text, from, at).append(whole ? replacement : form);
      from = end;
    }
    return sb.append(text, from, text.length()).toString();
  }
}
