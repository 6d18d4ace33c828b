package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardBuilderTest {
  private static Panel.Builder ts(String title) {
    return Panel.timeseries(title).target(Target.prometheus("up"));
  }

  @Test
  void layoutFillsLinesLeftToRightAndWraps() {
    Dashboard d =
        Dashboard.builder("layout", "Layout")
            .row("First", ts("a"), ts("b"), ts("c").width(8))
            .row("Second", Panel.stat("d").target(Target.prometheus("up")))
            .build();
    assertThat(d.rows())
        .extracting(Dashboard.PlacedRow::pos)
        .containsExactly(new GridPos(0, 0, 24, 1), new GridPos(0, 17, 24, 1));
    assertThat(d.panels())
        .extracting(Dashboard.Placed::pos)
        .containsExactly(
            new GridPos(0, 1, 12, 8),
            new GridPos(12, 1, 12, 8),
            new GridPos(0, 9, 8, 8),
            new GridPos(0, 18, 4, 4));
    assertThat(d.panels()).extracting(Dashboard.Placed::id).containsExactly(2, 3, 4, 6);
    assertThat(d.panels())
        .extracting(Dashboard.Placed::row)
        .containsExactly("First", "First", "First", "Second");
  }

  @Test
  void wrappedPanelsSitDirectlyUnderWhatIsAboveThem() {
    Dashboard d =
        Dashboard.builder("heights", "Heights")
            .panels(
                Panel.stat("short").target(Target.prometheus("up")).width(12),
                ts("tall").height(10),
                ts("next"))
            .build();
    assertThat(d.rows()).isEmpty();
    // Under the short stat, not below the tall panel: where Grafana's grid would float it.
    assertThat(d.panels().get(2).pos()).isEqualTo(new GridPos(0, 4, 12, 8));
  }

  @Test
  void refIdsFollowTargetOrder() {
    JsonNode p =
        Json.parse(
                Dashboard.builder("refs", "Refs")
                    .panels(
                        Panel.timeseries("t")
                            .targets(
                                Target.prometheus("up"),
                                Target.prometheus("up == 0"),
                                Target.prometheus("vector(1)")))
                    .build()
                    .toJson())
            .path("panels")
            .get(0);
    assertThat(p.path("targets"))
        .extracting(t -> t.path("refId").asText())
        .containsExactly("A", "B", "C");
  }

  @Test
  void prometheusAndLokiTargetsCarryTheirOwnOptions() {
    JsonNode prom = Target.prometheus("up").legend("{{job}}").asTable().toJson("A");
    assertThat(prom.path("format").asText()).isEqualTo("table");
    assertThat(prom.path("instant").asBoolean()).isTrue();
    assertThat(prom.path("range").asBoolean()).isFalse();
    assertThat(prom.path("legendFormat").asText()).isEqualTo("{{job}}");
    JsonNode loki = Target.loki("{job=\"x\"}").toJson("B");
    assertThat(loki.path("queryType").asText()).isEqualTo("range");
    assertThat(loki.has("format")).isFalse();
    assertThat(loki.path("datasource").path("uid").asText()).isEqualTo("loki");
  }

  @Test
  void thresholdsPrintIntegralValuesWithoutFraction() {
    String json =
        Json.print(Thresholds.base("green").from(0.85, "yellow").from(65, "red").toJson());
    assertThat(json).contains("\"value\": null", "\"value\": 65\n", "\"value\": 0.85");
  }

  @Test
  void rejectsDefinitionsGrafanaWouldMisread() {
    assertThatThrownBy(() -> Dashboard.builder("Bad UID", "x"))
        .hasMessageContaining("uid 'Bad UID' must be 1-40 characters");
    assertThatThrownBy(() -> Dashboard.builder("a".repeat(41), "x"))
        .hasMessageContaining("must be 1-40 characters");
    assertThatThrownBy(() -> Panel.timeseries("t").build())
        .hasMessage("timeseries panel 't' has no query");
    assertThatThrownBy(() -> Panel.timeseries("t").width(25))
        .hasMessage("timeseries panel 't' width must be 1..24, got 25");
    assertThatThrownBy(() -> Target.prometheus(" ")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> Panel.logs("l").target(Target.prometheus("up")).build())
        .hasMessage("logs panel 'l' is a logs panel but queries prometheus, not Loki");
    assertThatThrownBy(
            () ->
                Panel.timeseries("m")
                    .targets(Target.prometheus("up"), Target.loki("{a=\"b\"}"))
                    .build())
        .hasMessage("timeseries panel 'm' mixes datasources prometheus and loki");
    assertThatThrownBy(() -> Panel.table("t").target(Target.prometheus("up")).build())
        .hasMessageContaining("not in table format");
    assertThatThrownBy(() -> Panel.stat("s").stacked())
        .hasMessage("stat panel 's' stacking applies to timeseries panels only");
    assertThatThrownBy(() -> Panel.logs("l").unit(Units.BYTES))
        .hasMessage("logs panel 'l' unit does not apply to logs panels");
    assertThatThrownBy(() -> Thresholds.base("green").from(85, "red").from(75, "orange"))
        .hasMessageContaining("threshold 75.0 must be above the previous one (85.0)");
    assertThatThrownBy(() -> Panel.gauge("g").target(Target.prometheus("up")).range(1, 0).build())
        .hasMessageContaining("min 1.0 is not below max 0.0");
  }

  @Test
  void rejectsDuplicatesAndUndeclaredVariables() {
    assertThatThrownBy(() -> Dashboard.builder("dup", "Dup").panels(ts("same"), ts("same")).build())
        .hasMessage("dashboard dup has two panels titled 'same'");
    assertThatThrownBy(
            () ->
                Dashboard.builder("vars", "Vars")
                    .panels(Panel.timeseries("t").target(Target.prometheus("up{node=~\"$nod\"}")))
                    .build())
        .hasMessageContaining(
            "query uses $nod, which is neither a dashboard variable nor a Grafana built-in");
    assertThatThrownBy(
            () ->
                Dashboard.builder("vars", "Vars")
                    .variable(Variable.query("node", "Node", "label_values(up, node)"))
                    .variable(Variable.query("node", "Node", "label_values(up, node)")))
        .hasMessage("dashboard vars declares variable $node twice");
    assertThatThrownBy(() -> Dashboard.builder("order", "Order").row("r", ts("a")).panels(ts("b")))
        .hasMessageContaining("panels without a row must come before the first row");
    assertThatThrownBy(() -> Dashboard.builder("empty", "Empty").build())
        .hasMessage("dashboard empty has no panels");
    assertThatThrownBy(() -> Variable.interval("w", "W", "2m", "1m", "5m"))
        .hasMessageContaining("default 2m is not one of [1m, 5m]");
    assertThatThrownBy(() -> Variable.query("__node", "N", "label_values(up, node)"))
        .hasMessageContaining("must be a lower-case identifier");
  }

  @Test
  void variablesUsedInQueriesAreAcceptedIncludingBracedAndBuiltIn() {
    Dashboard d =
        Dashboard.builder("vars", "Vars")
            .variable(Variable.query("node", "Node", "label_values(up, node)"))
            .variable(Variable.interval("window", "Window", "5m", "1m", "5m", "1h"))
            .panels(
                Panel.timeseries("t")
                    .target(
                        Target.prometheus(
                            "rate(x{node=~\"${node}\"}[$window]) + rate(x[$__rate_interval])"
                                + " + label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")")))
            .build();
    JsonNode vars = Json.parse(d.toJson()).path("templating").path("list");
    assertThat(vars.get(0).path("type").asText()).isEqualTo("query");
    assertThat(vars.get(1).path("type").asText()).isEqualTo("interval");
    assertThat(vars.get(1).path("query").asText()).isEqualTo("1m,5m,1h");
    assertThat(vars.get(1).path("current").path("value").asText()).isEqualTo("5m");
  }

  @Test
  void substitutionReplacesEveryVariableForm() {
    assertThat(
            QueryCorpus.substitute(
                "rate(x{node=~\"$node\",n=~\"${node}\"}[$__rate_interval]) / $__range",
                java.util.Map.of("node", ".*", "__rate_interval", "5m", "__range", "1h")))
        .isEqualTo("rate(x{node=~\".*\",n=~\".*\"}[5m]) / 1h");
    assertThatThrownBy(() -> QueryCorpus.substitute("up{a=\"$missing\"}", java.util.Map.of()))
        .hasMessageContaining("unknown variable $missing");
  }

  @Test
  void mappingsOverridesAndTransformationsAreEmitted() {
    JsonNode p =
        Json.parse(
                Dashboard.builder("t", "T")
                    .panels(
                        Panel.table("tbl")
                            .target(Target.prometheus("up").asTable())
                            .transform(Transformation.merge())
                            .transform(
                                Transformation.organize()
                                    .hide("Time")
                                    .rename("Value", "Up")
                                    .order("job")
                                    .build())
                            .override(FieldOverride.byName("Up").colorBackground())
                            .mapping("1", "yes", "green")
                            .sortBy("Up", true))
                    .build()
                    .toJson())
            .path("panels")
            .get(0);
    assertThat(p.path("transformations"))
        .extracting(t -> t.path("id").asText())
        .containsExactly("merge", "organize");
    assertThat(
            p.path("transformations")
                .get(1)
                .path("options")
                .path("renameByName")
                .path("Value")
                .asText())
        .isEqualTo("Up");
    assertThat(
            p.path("fieldConfig").path("overrides").get(0).path("matcher").path("options").asText())
        .isEqualTo("Up");
    assertThat(
            p.path("fieldConfig")
                .path("defaults")
                .path("mappings")
                .get(0)
                .path("options")
                .path("1")
                .path("text")
                .asText())
        .isEqualTo("yes");
    assertThat(p.path("options").path("sortBy").get(0).path("desc").asBoolean()).isTrue();
    assertThatThrownBy(() -> FieldOverride.byName("x").unit("s").unit("ms"))
        .hasMessage("override sets unit twice");
    assertThat(List.of(PanelKind.values()))
        .extracting(PanelKind::grafanaType)
        .containsExactly("timeseries", "stat", "gauge", "table", "bargauge", "logs");
  }
}
