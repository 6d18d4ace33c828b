package dev.vigil.spec.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.base.DurationText;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathsAndDurationsTest {
  @Test
  void pathsJoinAndSplit() {
    assertThat(Paths.key("", "nodes")).isEqualTo("nodes");
    assertThat(Paths.index("nodes", 2)).isEqualTo("nodes[2]");
    assertThat(Paths.key("nodes[2]", "mac")).isEqualTo("nodes[2].mac");
    assertThat(Paths.key("labels", "app.kubernetes.io/name"))
        .isEqualTo("labels[\"app.kubernetes.io/name\"]");
    assertThat(Paths.join("receivers.ops", "")).isEqualTo("receivers.ops");
    assertThat(Paths.join("", "port")).isEqualTo("port");
    assertThat(Paths.join("syslog", "listeners[1].port")).isEqualTo("syslog.listeners[1].port");
    assertThat(Paths.join("nodes", "[0]")).isEqualTo("nodes[0]");
    assertThat(Paths.parent("nodes[2].mac")).isEqualTo("nodes[2]");
    assertThat(Paths.parent("nodes[2]")).isEqualTo("nodes");
    assertThat(Paths.parent("nodes")).isEmpty();
    assertThat(Paths.parent("labels[\"a[1].b\"]")).isEqualTo("labels");
    assertThat(Paths.parent("labels[\"a.b\"].x")).isEqualTo("labels[\"a.b\"]");
  }

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "7d, PT168H",
    "2w, PT336H",
    "1y, PT8760H",
    "250ms, PT0.25S",
    "1h0m5s, PT1H5S",
    "0s, PT0S",
    "1d2h3m4s5ms, PT26H3M4.005S"
  })
  @SuppressWarnings("deprecation")
  void parsesPrometheusDurations(String text, String iso) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
    assertThat(text).matches(DurationText.SCHEMA_PATTERN);
    // The deprecated name still parses the same way for code that refers to it.
    assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "1.5h", "5 m", "m", "5m1h", "1h1h", "-5s", "5S", "PT5S"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected a duration such as 30s, 5m, 1h, got '" + text + "'");
  }

  @Test
  void nothingIsNoDuration() {
    assertThatThrownBy(() -> DurationText.parse(""))
        .hasMessage("expected a duration such as 30s, 5m, 1h, got nothing");
  }

  @Test
  void bareNumbersAreToldToAddAUnit() {
    assertThatThrownBy(() -> DurationText.parse("30"))
        .hasMessage("expected a duration such as 30s, 5m, 1h, got '30' (a unit is required)");
    assertThatThrownBy(() -> DurationText.parse("99999999999999999999y"))
        .hasMessage("duration '99999999999999999999y' is too long: at most 290y");
  }
}
