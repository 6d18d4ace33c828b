package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  static final List<String> FIELDS =
      List.of("retention", "replicas", "resources", "storageClass", "image", "enabled");

  @Test
  void suggestsCloseNames() {
    assertThat(Names.didYouMean("retentoin", FIELDS)).contains("retention");
    assertThat(Names.didYouMean("replica", FIELDS)).contains("replicas");
    assertThat(Names.didYouMean("storageclass", FIELDS)).contains("storageClass");
    assertThat(Names.didYouMean("imgae", FIELDS)).contains("image");
    assertThat(Names.didYouMean("enable", FIELDS)).contains("enabled");
    assertThat(Names.didYouMean("prod", List.of("homelab", "production"))).contains("production");
  }

  @Test
  void staysQuietWhenNothingIsClose() {
    assertThat(Names.didYouMean("foo", FIELDS)).isEmpty();
    assertThat(Names.didYouMean("zzzzzzzzzz", FIELDS)).isEmpty();
    assertThat(Names.didYouMean("ab", List.of("xy"))).isEmpty();
    assertThat(Names.didYouMean("x", List.of())).isEmpty();
    assertThat(Names.hint("foo", FIELDS)).isEmpty();
    assertThat(Names.hint("imag", FIELDS)).isEqualTo(" (did you mean 'image'?)");
  }

  @Test
  void tiesAreBrokenAlphabeticallyWhateverTheOrder() {
    assertThat(Names.didYouMean("bat", List.of("cat", "bar"))).contains("bar");
    assertThat(Names.didYouMean("bat", List.of("bar", "cat"))).contains("bar");
  }

  @Test
  void distanceCountsTranspositionsAsOneEdit() {
    assertThat(Names.distance("ab", "ba")).isEqualTo(1);
    assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Names.distance("", "abc")).isEqualTo(3);
    assertThat(Names.distance("same", "same")).isZero();
  }
}
