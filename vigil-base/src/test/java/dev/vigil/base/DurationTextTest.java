package dev.vigil.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
  @ParameterizedTest
  @CsvSource({
    "30s,30000",
    "5m,300000",
    "1h30m,5400000",
    "7d,604800000",
    "2w,1209600000",
    "250ms,250",
    "1y,31536000000",
    "1d12h,129600000"
  })
  void parsesPrometheusDurations(String text, long millis) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void aBareNumberNeedsAUnit() {
    assertThatThrownBy(() -> DurationText.parse("30"))
        .hasMessage("expected a duration such as 30s, 5m, 1h, got '30' (a unit is required)");
  }

  @Test
  void unitsOutOfOrderAreRefused() {
    assertThatThrownBy(() -> DurationText.parse("30s1m")).hasMessageContaining("got '30s1m'");
  }

  @Test
  void durationsLongerThanANanosecondCountHoldsAreRefused() {
    // 1000y parses as milliseconds but overflows Duration.toNanos() wherever it is used.
    assertThatThrownBy(() -> DurationText.parse("1000y"))
        .hasMessage("duration '1000y' is too long: at most 290y");
    assertThatThrownBy(() -> DurationText.parse("99999999999999999999y"))
        .hasMessageContaining("too long");
    assertThat(DurationText.parse("290y").toNanos()).isPositive();
  }

  @Test
  void hugeTextIsNotEchoed() {
    String text = "1".repeat(100_000) + "s";
    assertThatThrownBy(() -> DurationText.parse(text)).message().hasSizeLessThan(200);
  }

  @ParameterizedTest
  @CsvSource({"0,0s", "30000,30s", "5400000,1h30m", "1209600000,2w", "86400001,1d1ms"})
  void formatsLargestUnitsFirst(long millis, String text) {
    assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @Test
  void formatThenParseIsTheSameDuration() {
    for (long ms : new long[] {1, 999, 61_000, 3_600_000 * 25L + 7, 7L * 86_400_000 * 3 + 5}) {
      assertThat(DurationText.parse(DurationText.format(Duration.ofMillis(ms))))
          .isEqualTo(Duration.ofMillis(ms));
    }
  }
}
