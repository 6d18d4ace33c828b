package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.YamlValues;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The checks written without a regular expression answer as the expressions they replace. */
class ShortcutsTest {
  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().withChars(" \t\n\r\u000B\f\u2003${}()<>abc019:/@").ofMaxLength(12);
  }

  @Property
  void placeholderAsTheExpression(@ForAll("values") String v) {
    assertThat(PracticeRules.placeholder(v))
        .as("'%s'", v)
        .isEqualTo(PracticeRules.PLACEHOLDER.matcher(v).matches());
  }

  @Property
  void digitsAsTheExpression(@ForAll("values") String v) {
    assertThat(YamlValues.isDigits(v)).as("'%s'", v).isEqualTo(v.matches("\\d+"));
  }
}
