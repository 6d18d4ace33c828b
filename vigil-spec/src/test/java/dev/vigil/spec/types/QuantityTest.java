package dev.vigil.spec.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {
  @Test
  void theLargestQuantityIsTheLargestByteCount() {
    assertThat(Quantity.parse("7Ei").bytes()).isEqualTo(7L << 60);
    assertThat(Quantity.parse("9223372036854775807").bytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(Quantity.parse("8E").bytes()).isEqualTo(8_000_000_000_000_000_000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8Ei", "16Ei", "9223372036854775808", "10E", "1000000Pi"})
  void largerQuantitiesAreTooLargeNotNegativeOrZero(String text) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "quantity '" + text + "' is too large: at most 9223372036854775807 (just under 8Ei)");
  }

  @Test
  void longTextIsRefusedWithoutReadingTheNumber() {
    String digits = "9".repeat(1_000_000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> Quantity.parse(digits + "Gi"))
        .hasMessage(
            "expected a quantity such as 10Gi, 512Mi or 500m, got '"
                + "9".repeat(60)
                + "...(999942 more characters)'");
    // Reading a million-digit number would take seconds; refusing it takes microseconds.
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
