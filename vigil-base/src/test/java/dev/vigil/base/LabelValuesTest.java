package dev.vigil.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelValuesTest {
  @Test
  void escapesWhatEndsOrBreaksAQuotedString() {
    assertThat(LabelValues.quote("a\"b\\c\nd\re\tf")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\"");
  }

  @Test
  void otherControlCharactersBecomeUnicodeEscapes() {
    assertThat(LabelValues.quote("x\u0000y\u001bz\u007f"))
        .isEqualTo("\"x\\u0000y\\u001bz\\u007f\"");
  }

  @Test
  void textOutsideAsciiIsKept() {
    assertThat(LabelValues.quote("Zürich → 東京")).isEqualTo("\"Zürich → 東京\"");
  }
}
