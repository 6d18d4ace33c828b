package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.Finding;
import dev.vigil.lint.LintConfig;
import dev.vigil.lint.Linter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleFileRulesTest {
  private static List<Finding> lint(String text, String rule) {
    return new Linter(LintConfig.defaults())
        .lintText("rules.yaml", text).findings().stream()
            .filter(f -> f.ruleId().equals(rule))
            .toList();
  }

  @Test
  void aFindingInsideAConfigMapEntryPointsAtTheRulesOwnLine() {
    String text =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata: {name: rules}",
            "data:",
            "  app.rules.yaml: |",
            "    groups:",
            "    - name: app",
            "      rules:",
            "      - record: job:up:sum",
            "        expr: sum by (job) (up)",
            "      - alert: \"AppDown\"",
            "        expr: up == 0",
            "");
    assertThat(lint(text, "alert-for-duration"))
        .singleElement()
        .extracting(Finding::line)
        .isEqualTo(11);
  }

  @Test
  void aFindingInAFlowEntryPointsAtTheEntry() {
    String text =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata: {name: rules}",
            "data:",
            "  app.rules.yaml: \"groups: [{name: app, rules: [{alert: AppDown, expr: up == 0}]}]\"",
            "");
    assertThat(lint(text, "alert-for-duration"))
        .singleElement()
        .extracting(Finding::line)
        .isEqualTo(5);
  }

  @Test
  void aPlainRuleFileHasItsOwnLines() {
    String text =
        String.join(
            "\n",
            "groups:",
            "- name: app",
            "  rules:",
            "  - alert: AppDown",
            "    expr: up == 0",
            "  - alert: AppDown2",
            "    expr: up == 0",
            "    for: 10s",
            "");
    assertThat(lint(text, "alert-for-duration")).extracting(Finding::line).containsExactly(4, 6);
  }

  @Test
  void manyFindingsInOneLargeEntryStayLinear() {
    StringBuilder text =
        new StringBuilder(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules}\ndata:\n"
                + "  many.rules.yaml: |\n    groups:\n    - name: many\n      rules:\n");
    int alerts = 20_000;
    for (int i = 0; i < alerts; i++) {
      text.append("      - alert: A")
          .append(i)
          .append("\n        expr: ")
          .append("(".repeat(150))
          .append("up")
          .append(")".repeat(150))
          .append(" == 0\n");
    }
    long start = System.nanoTime();
    List<Finding> findings = lint(text.toString(), "alert-for-duration");
    assertThat(findings).hasSize(alerts);
    assertThat(findings.get(alerts - 1).line()).isEqualTo(9 + 2 * (alerts - 1));
    // Linear work takes a few seconds here, every rule included; a scan of the entry per finding
    // would take minutes.
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(java.time.Duration.ofSeconds(30));
  }

  @Test
  void logqlIsRecognisedByItsPipesAndByteFunctions() {
    assertThat(RuleFileRules.looksLikeLogql("sum(rate({app=\"a\"} |= \"error\" [5m]))")).isTrue();
    assertThat(RuleFileRules.looksLikeLogql("sum(bytes_over_time({app=\"a\"}[5m]))")).isTrue();
    assertThat(RuleFileRules.looksLikeLogql("up{path=~\"a|b\"} == 0")).isFalse();
    assertThat(RuleFileRules.looksLikeLogql("up{path=~`a|b`} == 0 or down")).isFalse();
  }

  @Test
  void templatesMustCloseTheirActions() {
    assertThat(RuleFileRules.template("{{ $labels.instance }} is down")).isNull();
    assertThat(RuleFileRules.template("plain text with }} braces")).isNull();
    assertThat(RuleFileRules.template("{{ \"}}\" }} quoted")).isNull();
    assertThat(RuleFileRules.template("{{ $labels.instance is down"))
        .isEqualTo("unclosed template action: {{ without }}");
    assertThat(RuleFileRules.template("{{ \"open }}"))
        .isEqualTo("unterminated quoted string in template action");
    assertThat(RuleFileRules.template("{{ a {{ b }}"))
        .isEqualTo("template action opened with {{ inside another action");
  }

  @Test
  void durationsFollowPrometheus() {
    assertThat(List.of("0", "5m", "1h30m", "1y2w3d4h5m6s7ms", "500ms"))
        .allMatch(RuleFileRules::duration);
    assertThat(List.of("", "5", "1m1h", "5 m", "-5m", "1.5h", "5min"))
        .noneMatch(RuleFileRules::duration);
    assertThat(RuleFileRules.durationMs("1h30m")).isEqualTo(5_400_000);
    assertThat(RuleFileRules.durationMs(0L)).isZero();
  }
}
