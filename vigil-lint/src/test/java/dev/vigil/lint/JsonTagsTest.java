package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class JsonTagsTest {
  @Property(tries = 20_000)
  void sameTagAsTheLibrary(
      @ForAll
          @Chars({
            '-', '+', '.', '0', '1', '9', 'e', 'E', 'i', 'n', 'f', 'a', 't', 'r', 'u', 's', 'l',
            '$', '{', '}', ' ', 'x'
          })
          @StringLength(max = 8)
          String v,
      @ForAll boolean plain) {
    assertThat(JsonTags.resolve(v, plain))
        .as("'" + v + "'")
        .isEqualTo(JsonTags.LIBRARY.resolve(v, plain));
  }

  @Example
  void knownSpellings() {
    for (String v :
        new String[] {
          "", "null", "Null", "~", "true", "True", "false", "0", "-0", "01", "-", "1.", "1.5",
          "-1.5e3", "1e", "1e+", ".5", ".inf", "-.inf", ".nan", "+1", "0x1F", "${HOME}", "${A:-b}",
          "$x", "100m", "8080", "1.0.0", "yes", "no", "on"
        }) {
      for (boolean plain : new boolean[] {true, false}) {
        assertThat(JsonTags.resolve(v, plain)).as(v).isEqualTo(JsonTags.LIBRARY.resolve(v, plain));
      }
    }
  }
}
