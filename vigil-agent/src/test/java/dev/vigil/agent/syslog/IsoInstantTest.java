package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class IsoInstantTest {
  @Property
  void sameTextAsInstantToString(
      @ForAll @LongRange(min = -100_000_000_000L, max = 300_000_000_000L) long second,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nano,
      @ForAll @IntRange(min = 0, max = 3) int roundTo) {
    // Round the fraction to ms, us or none sometimes: each prints a different number of digits.
    int n =
        switch (roundTo) {
          case 0 -> nano;
          case 1 -> nano / 1000 * 1000;
          case 2 -> nano / 1_000_000 * 1_000_000;
          default -> 0;
        };
    Instant t = Instant.ofEpochSecond(second, n);
    assertThat(IsoInstant.format(t)).isEqualTo(t.toString());
  }

  @Example
  void edges() {
    for (String s :
        new String[] {
          "1970-01-01T00:00:00Z",
          "2026-12-31T23:59:59.999999999Z",
          "2024-02-29T12:00:00.001Z",
          "9999-12-31T23:59:59.000001Z",
          "2026-01-12T10:00:00.100Z"
        }) {
      Instant t = Instant.parse(s);
      assertThat(IsoInstant.format(t)).isEqualTo(t.toString()).isEqualTo(s);
      assertThat(IsoInstant.format(t)).isEqualTo(s); // cached second, second call
    }
  }
}
