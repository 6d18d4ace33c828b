package dev.vigil.render.chrony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Yaml;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeRulesTest {
  private static final String SOURCE = TimeRules.source();

  private static Map<String, JsonNode> alerts(String yaml) throws Exception {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode g : Yaml.mapper().readTree(yaml).path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.has("alert")) {
          m.put(r.get("alert").asText(), r);
        }
      }
    }
    return m;
  }

  @Test
  void defaultThresholdsLeaveEveryRuleAsWrittenAndTested() throws Exception {
    Map<String, JsonNode> source = alerts(SOURCE);
    Map<String, JsonNode> rendered = alerts(TimeRules.render(TimeThresholds.defaults()));
    assertThat(rendered.keySet()).containsExactlyElementsOf(source.keySet());
    // The whole rule (expr, for, labels, annotations) is unchanged, not just the expression.
    source.forEach((name, rule) -> assertThat(rendered.get(name)).as(name).isEqualTo(rule));
  }

  @Test
  void everyThresholdIsSubstitutedInItsOwnAlert() throws Exception {
    TimeThresholds t =
        new TimeThresholds(
            Duration.ofMillis(40),
            Duration.ofMillis(1500),
            6,
            2,
            Duration.ofSeconds(200),
            Duration.ofMillis(75),
            Duration.ofSeconds(30));
    Map<String, JsonNode> a = alerts(TimeRules.render(t));
    assertThat(expr(a, "ClockOffsetHigh")).contains("> 0.04").doesNotContain("> 0.1");
    assertThat(a.get("ClockOffsetHigh").path("annotations").path("summary").asText())
        .contains("more than 40ms");
    assertThat(expr(a, "ClockOffsetCritical")).contains("> 1.5").doesNotContain("> 1\n");
    assertThat(a.get("ClockOffsetCritical").path("annotations").path("summary").asText())
        .contains("more than 1s500ms");
    assertThat(expr(a, "TimeSourcesUnreachable")).contains("< 2").doesNotContain("< 1");
    assertThat(expr(a, "ClockStratumTooHigh")).contains("> 6 < 16").doesNotContain("> 10");
    assertThat(a.get("ClockStratumTooHigh").path("annotations").path("description").asText())
        .contains("(more than 6)");
    assertThat(expr(a, "NodeClockSkew")).contains("> 0.075");
    assertThat(expr(a, "LogTimestampSkew")).contains("> 30");
    assertThat(expr(a, "ClockSkewNearKerberosLimit")).contains("> 200").doesNotContain("240");
    // Untouched literals stay: stratum 16 and the 0.5 quantile are not thresholds.
    assertThat(expr(a, "ClockOffsetHigh"))
        .contains("quantile by (cluster, job, instance, node) (0.5,");
    assertThat(expr(a, "ClockNotSynchronised")).contains(">= 16");
  }

  private static String expr(Map<String, JsonNode> a, String alert) {
    assertThat(a).containsKey(alert);
    return a.get(alert).path("expr").asText();
  }

  @Test
  void aRuleThatNoLongerHoldsItsComparisonIsAnError() {
    String changed =
        SOURCE.replace(
            "abs(vigil_syslog_event_skew_seconds{cluster=\"\"}) > 10",
            "abs(vigil_syslog_event_skew_seconds{cluster=\"\"}) >= 10");
    assertThat(changed).isNotEqualTo(SOURCE);
    assertThatThrownBy(() -> TimeRules.render(changed, TimeThresholds.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("LogTimestampSkew");
    String removed = SOURCE.replace("alert: NodeClockSkew", "alert: NodeClockSkewRenamed");
    assertThatThrownBy(() -> TimeRules.render(removed, TimeThresholds.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NodeClockSkew");
  }

  @Test
  void secondsAreWrittenAsPromQlNumbers() {
    assertThat(TimeRules.seconds(Duration.ofMillis(100))).isEqualTo("0.1");
    assertThat(TimeRules.seconds(Duration.ofSeconds(1))).isEqualTo("1");
    assertThat(TimeRules.seconds(Duration.ofMinutes(4))).isEqualTo("240");
    assertThat(TimeRules.seconds(Duration.ofNanos(1500))).isEqualTo("0.0000015");
  }
}
