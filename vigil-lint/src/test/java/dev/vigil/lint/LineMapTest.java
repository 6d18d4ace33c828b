package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The compact manifest map behaves as a LinkedHashMap, small or indexed. */
class LineMapTest {
  @Property
  void sameAsLinkedHashMap(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 40) Integer> keys,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> ops) {
    Located.LineMap m = new Located.LineMap(2, 7);
    Map<String, Object> ref = new LinkedHashMap<>();
    run(m, ref, keys, ops);
  }

  /** A map read in full (exactly sized, indexed past 16 keys) then changed, as the loader's are. */
  @Property
  void readInFullThenChangedSameAsLinkedHashMap(
      @ForAll @IntRange(min = 0, max = 40) int initial,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 60) Integer> keys,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> ops) {
    String[] k = new String[initial];
    Object[] v = new Object[initial];
    Map<String, Object> ref = new LinkedHashMap<>();
    for (int i = 0; i < initial; i++) {
      k[i] = "k" + (i * 3);
      v[i] = i;
      ref.put(k[i], i);
    }
    Located.LineMap m = new Located.LineMap(7, k, v);
    assertThat(m).isEqualTo(ref);
    run(m, ref, keys, ops);
  }

  private static void run(
      Located.LineMap m, Map<String, Object> ref, List<Integer> keys, List<Integer> ops) {
    for (int i = 0; i < keys.size(); i++) {
      String k = "k" + keys.get(i);
      int op = ops.isEmpty() ? 0 : ops.get(i % ops.size());
      switch (op) {
        case 0, 1 -> assertThat(m.put(k, i)).isEqualTo(ref.put(k, i));
        case 2 -> assertThat(m.remove(k)).isEqualTo(ref.remove(k));
        default -> {
          Iterator<Map.Entry<String, Object>> a = m.entrySet().iterator();
          Iterator<Map.Entry<String, Object>> b = ref.entrySet().iterator();
          while (a.hasNext()) {
            Map.Entry<String, Object> x = a.next();
            Map.Entry<String, Object> y = b.next();
            assertThat(x).isEqualTo(y);
            if (x.getKey().equals(k)) {
              a.remove();
              b.remove();
            } else if (x.getKey().hashCode() % 3 == 0) {
              x.setValue(-i);
              y.setValue(-i);
            }
          }
          assertThat(b.hasNext()).isFalse();
        }
      }
      assertThat(new ArrayList<>(m.keySet())).isEqualTo(new ArrayList<>(ref.keySet()));
      assertThat(m).isEqualTo(ref).hasSameHashCodeAs(ref);
      assertThat(m.get(k)).isEqualTo(ref.get(k));
      assertThat(m.containsKey(k)).isEqualTo(ref.containsKey(k));
    }
    assertThat(m.line).isEqualTo(7);
  }
}
