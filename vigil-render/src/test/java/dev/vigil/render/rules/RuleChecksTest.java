package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks in {@link RuleChecks} catch what they are meant to catch. */
class RuleChecksTest {
  private static final JsonNode RULES =
      RuleFiles.parse(
"""
groups:
  - name: demo
    rules:
      - record: instance:demo:ratio
        expr: vector(1)
      - alert: DemoDown
        expr: up == 0
        labels: {severity: critical}
        annotations:
          summary: s
          description: d
          runbook_url: https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#demodown
      - alert: DemoHeartbeat
        expr: vector(1)
        labels: {severity: none}
        annotations:
          summary: s
          description: d
          runbook_url: https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#demoheartbeat
      - alert: DemoSlow
        expr: up == 2
        labels: {severity: urgent}
        annotations:
          summary: s
          runbook_url: https://example.com/DemoSlow
""");

  @Test
  void coverageNeedsBothAFiringAndASilentCase() {
    JsonNode tests =
        RuleFiles.parse(
"""
tests:
  - interval: 1m
    alert_rule_test:
      - {eval_time: 5m, alertname: DemoDown, exp_alerts: [{exp_labels: {severity: critical}}]}
      - {eval_time: 5m, alertname: DemoSlow, exp_alerts: []}
      - {eval_time: 5m, alertname: Ghost, exp_alerts: []}
""");
    assertThat(RuleChecks.coverage("demo.rules.yaml", RULES, tests))
        .containsExactly(
            "demo.rules.yaml: alert DemoDown has no unit test case where it must not fire",
            "demo.rules.yaml: alert DemoHeartbeat has no unit test case where it fires",
            "demo.rules.yaml: alert DemoSlow has no unit test case where it fires",
            "demo.rules.yaml: unit tests name alert 'Ghost', which the rule file does not define");
  }

  @Test
  void coverageIsSatisfiedByOneFiringAndOneSilentCasePerAlert() {
    JsonNode tests =
        RuleFiles.parse(
"""
tests:
  - interval: 1m
    alert_rule_test:
      - {eval_time: 5m, alertname: DemoDown, exp_alerts: [{exp_labels: {severity: critical}}]}
      - {eval_time: 1m, alertname: DemoDown, exp_alerts: []}
      - {eval_time: 0m, alertname: DemoHeartbeat, exp_alerts: [{exp_labels: {severity: none}}]}
  - interval: 1m
    alert_rule_test:
      - {eval_time: 5m, alertname: DemoSlow, exp_alerts: [{exp_labels: {severity: urgent}}]}
      - {eval_time: 1m, alertname: DemoSlow}
""");
    assertThat(RuleChecks.coverage("demo.rules.yaml", RULES, tests)).isEmpty();
  }

  @Test
  void onlyHeartbeatsAreExemptFromTheSilentCase() {
    assertThat(RuleChecks.alwaysFiring(RULES)).containsExactly("DemoHeartbeat");
  }

  @Test
  void conventionsReportSeverityAnnotationsAndRunbook() {
    assertThat(RuleChecks.conventions("demo.rules.yaml", RULES))
        .containsExactly(
            "demo.rules.yaml: alert DemoSlow: labels.severity must be one of "
                + RuleChecks.SEVERITIES
                + ", got 'urgent'",
            "demo.rules.yaml: alert DemoSlow: annotations.description is missing",
            "demo.rules.yaml: alert DemoSlow: annotations.runbook_url must be"
                + " https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#demoslow, got"
                + " 'https://example.com/DemoSlow'");
  }

  @Test
  void recordingRulesNeedAnExpressionTestWithSamples() {
    JsonNode none =
        RuleFiles.parse(
            """
            tests:
              - interval: 1m
                promql_expr_test:
                  - {expr: instance:demo:ratio, eval_time: 1m, exp_samples: []}
            """);
    JsonNode some =
        RuleFiles.parse(
            """
            tests:
              - interval: 1m
                promql_expr_test:
                  - expr: instance:demo:ratio
                    eval_time: 1m
                    exp_samples: [{labels: 'instance:demo:ratio', value: 1}]
            """);
    assertThat(RuleChecks.recordingCoverage("demo.rules.yaml", RULES, none))
        .containsExactly(
            "demo.rules.yaml: recording rule instance:demo:ratio has no promql_expr_test with"
                + " expected samples");
    assertThat(RuleChecks.recordingCoverage("demo.rules.yaml", RULES, some)).isEmpty();
  }

  @Test
  void documentedAlertsAreLevelTwoHeadingsOnly() {
    String doc =
        """
        # Alerts
        ## DemoDown
        text
        ### Diagnosis
        ## How to read this page
        ## DemoSlow \s
        """;
    assertThat(RuleChecks.documentedAlerts(List.of(doc))).containsExactly("DemoDown", "DemoSlow");
  }

  @Test
  void sectionsEndAtTheNextLevelTwoHeading() {
    String doc =
        """
        # Alerts
        ## DemoDown
        **Meaning.** down
        ### Detail
        more
        ## Other topic
        text
        ## DemoSlow
        **Meaning.** slow
        """;
    assertThat(RuleChecks.sections(doc))
        .containsOnlyKeys("DemoDown", "DemoSlow")
        .containsEntry("DemoDown", "\n**Meaning.** down\n### Detail\nmore\n")
        .containsEntry("DemoSlow", "\n**Meaning.** slow\n");
  }

  @Test
  void everySelectorNamesItsJob() {
    JsonNode rules =
        RuleFiles.parse(
            """
            groups:
              - name: demo
                rules:
                  - record: instance:demo:ratio
                    expr: sum by (instance) (rate(demo_total{job="demo", mode="x"}[5m]))
                  - alert: Loose
                    expr: demo_up{mode="x"} == 0 or up == 0
                  - alert: Anonymous
                    expr: '{__name__=~"demo_.*"} == 2'
                  - alert: Fine
                    expr: |
                      up{job!~"a|b"} == 0 unless on (node) ALERTS{alertname="X"}
                      and absent(up{ job = "c" })
            """);
    assertThat(RuleChecks.jobSelectors("demo.rules.yaml", rules))
        .containsExactly(
            "demo.rules.yaml: Loose: selector demo_up{mode=\"x\"} has no job matcher",
            "demo.rules.yaml: Anonymous: selector {__name__=~\"demo_.*\"} has no job matcher");
  }

  @Test
  void everySelectorMustJudgeTheLocalCluster() {
    JsonNode rules =
        RuleFiles.parse(
            """
            groups:
              - name: demo
                rules:
                  - record: job:demo:rate5m
                    expr: sum by (cluster, job) (rate(demo_total{job="demo", cluster=""}[5m]))
                  - alert: Mixed
                    expr: job:demo:rate5m > 1 and on (cluster, job) up{job="demo", cluster=""} == 1
                  - alert: Remote
                    expr: up{job="rke2-federation", cluster=~"rke2|"} == 0
            """);
    assertThat(RuleChecks.clusterScope("demo.rules.yaml", rules))
        .containsExactly(
            "demo.rules.yaml: Mixed: selector job:demo:rate5m{} also reads federated series; add"
                + " cluster=\"\"");
  }

  private static final JsonNode FEDERATED_RULES =
      RuleFiles.parse(
          """
          groups:
            - name: demo
              rules:
                - record: job:demo_errors:rate5m
                  expr: sum by (cluster, job) (rate(demo_errors_total{job="demo", cluster=""}[5m]))
                - alert: DemoErrors
                  expr: job:demo_errors:rate5m{job="demo", cluster=""} > 0
                - alert: DemoDown
                  expr: absent(up{job="demo", cluster=""} == 1)
                - alert: DemoSensor
                  expr: '{__name__=~"demo_(fan|psu)_state", job="demo", cluster=""} == 2'
                - alert: DemoHeartbeat
                  expr: vector(1)
                  labels: {severity: none}
          """);

  @Test
  void federatedCoverageWantsARemoteCopyOfASeriesTheAlertReads() {
    JsonNode tests =
        RuleFiles.parse(
            """
            tests:
              - interval: 1m
                input_series:
                  - {series: 'demo_errors_total{job="demo", cluster="rke2"}', values: '0x10'}
                  - {series: 'demo_errors_total{job="demo"}', values: '0+1x10'}
                  - {series: 'up{job="other", cluster="rke2"}', values: '1x10'}
                  - {series: 'demo_psu_state{job="demo", cluster="rke2"}', values: '0x10'}
                alert_rule_test:
                  - {eval_time: 5m, alertname: DemoErrors, exp_alerts: [{exp_labels: {job: demo}}]}
                  - {eval_time: 5m, alertname: DemoDown, exp_alerts: [{exp_labels: {job: demo}}]}
                  - {eval_time: 5m, alertname: DemoSensor, exp_alerts: [{exp_labels: {job: demo, cluster: rke2}}]}
            """);
    assertThat(RuleChecks.federatedCoverage("demo.rules.yaml", FEDERATED_RULES, tests))
        .containsExactly(
            "demo.rules.yaml: alert DemoDown has no unit test case where it fires while a federated"
                + " copy of its series (another cluster label) is in the input",
            "demo.rules.yaml: alert DemoSensor has no unit test case where it fires while a federated"
                + " copy of its series (another cluster label) is in the input");
  }

  @Test
  void federatedCoverageFollowsRecordingRulesAndNameRegexes() {
    JsonNode tests =
        RuleFiles.parse(
            """
            tests:
              - interval: 1m
                input_series:
                  - {series: 'demo_errors_total{job="demo", cluster="rke2"}', values: '0x10'}
                  - {series: 'up{job="demo", cluster="rke2"}', values: '1x10'}
                  - {series: 'demo_fan_state{job="demo", cluster="rke2"}', values: '0x10'}
                alert_rule_test:
                  - {eval_time: 5m, alertname: DemoErrors, exp_alerts: [{exp_labels: {job: demo}}]}
                  - {eval_time: 5m, alertname: DemoDown, exp_alerts: [{exp_labels: {job: demo}}]}
                  - {eval_time: 5m, alertname: DemoSensor, exp_alerts: [{exp_labels: {job: demo}}]}
            """);
    assertThat(RuleChecks.federatedCoverage("demo.rules.yaml", FEDERATED_RULES, tests)).isEmpty();
  }

  @Test
  void inputSeriesAreParsedWithTheirLabels() {
    RuleChecks.InputSeries s =
        RuleChecks.InputSeries.parse(
            "  node_load1{job=\"node-exporter\", cluster=\"rke2\",x=\"a\\\"b\"} ");
    assertThat(s.name()).isEqualTo("node_load1");
    assertThat(s.label("cluster")).isEqualTo("rke2");
    assertThat(s.label("x")).isEqualTo("a\\\"b");
    assertThat(RuleChecks.InputSeries.parse("{__name__=\"up\"}").name()).isEqualTo("up");
  }
}
