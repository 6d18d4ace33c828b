package dev.vigil.render.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.base.DurationText;
import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

class LokiRendererTest {
  private static JsonNode config(String... overlays) {
    return Rendered.of(new LokiRenderer(), TestStations.with(overlays))
        .yaml("loki-config", "loki.yaml");
  }

  @Test
  void singleTenantInHomelabMultiTenantInProduction() {
    assertThat(config().path("auth_enabled").asBoolean()).isFalse();
    assertThat(config(TestStations.PRODUCTION).path("auth_enabled").asBoolean()).isTrue();
    assertThat(
            config("components:\n  loki:\n    multiTenant: true\n")
                .path("auth_enabled")
                .asBoolean())
        .isTrue();
  }

  @Test
  void aQueryMayRunItsWholeTimeoutAndRangeQueriesAreCached() {
    JsonNode c = config();
    long query =
        DurationText.parse(c.path("limits_config").path("query_timeout").asText()).toMillis();
    long write =
        DurationText.parse(c.path("server").path("http_server_write_timeout").asText()).toMillis();
    assertThat(write).isGreaterThan(query);
    assertThat(c.path("query_range").path("cache_results").asBoolean()).isTrue();
    assertThat(c.path("limits_config").path("tsdb_max_query_parallelism").asInt())
        .isEqualTo(c.path("limits_config").path("max_query_parallelism").asInt());
  }

  @Test
  void retentionIsWholeHoursAndTheVolumeFollowsTheSpec() {
    Rendered r =
        Rendered.of(
            new LokiRenderer(),
            TestStations.with(
                "components:\n  loki:\n    retention: {time: 14d}\n    storage: {size: 50Gi}\n"));
    assertThat(
            r.yaml("loki-config", "loki.yaml")
                .path("limits_config")
                .path("retention_period")
                .asText())
        .isEqualTo("336h");
    StatefulSet sts = r.one(StatefulSet.class, "loki");
    assertThat(
            sts.getSpec()
                .getVolumeClaimTemplates()
                .get(0)
                .getSpec()
                .getResources()
                .getRequests()
                .get("storage")
                .toString())
        .isEqualTo("50Gi");
  }

  @Test
  void onlyTheStacksWritersAndReadersReachItInside() {
    NetworkPolicy np =
        Rendered.of(
                new LokiRenderer(),
                TestStations.with("components:\n  loki:\n    access: {expose: false}\n"))
            .one(NetworkPolicy.class, "loki");
    assertThat(np.getSpec().getIngress()).noneMatch(r -> r.getFrom().isEmpty());
    assertThat(np.getSpec().getIngress().get(0).getFrom())
        .extracting(
            p ->
                p.getPodSelector() == null
                    ? "namespace "
                        + p.getNamespaceSelector()
                            .getMatchLabels()
                            .get("kubernetes.io/metadata.name")
                    : p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
        .containsExactly("grafana", "prometheus", "alloy", "namespace infrastructure");
  }

  /**
   * With Tempo in the stack, a trace id in a log line or in OTLP's trace_id becomes a trace link.
   */
  @Test
  void traceIdsLinkToTempo() {
    var plain =
        new LokiRenderer().datasources(TestStations.context(TestStations.defaults())).get(0);
    assertThat(plain.jsonData()).doesNotContainKey("derivedFields");
    var withTraces =
        new LokiRenderer()
            .datasources(TestStations.context(TestStations.with(TestStations.TRACES)))
            .get(0);
    @SuppressWarnings("unchecked")
    var fields =
        (java.util.List<java.util.Map<String, Object>>) withTraces.jsonData().get("derivedFields");
    assertThat(fields)
        .allSatisfy(
            f -> {
              assertThat(f.get("datasourceUid")).isEqualTo("tempo");
              // Grafana expands environment variables in provisioning files; $$ keeps its own
              // variable.
              assertThat(f.get("url")).isEqualTo("$${__value.raw}");
            });
    assertThat(fields.get(0))
        .containsEntry("matcherType", "label")
        .containsEntry("matcherRegex", "trace_id");
    java.util.regex.Pattern inLine =
        java.util.regex.Pattern.compile((String) fields.get(1).get("matcherRegex"));
    String id = "4bf92f3577b34da6a3ce929d0e0e4736";
    for (String line :
        java.util.List.of(
            "level=info traceID=" + id + " msg=ok",
            "{\"trace_id\":\"" + id + "\"}",
            "{\"traceId\": \"" + id + "\", \"level\": \"error\"}")) {
      var m = inLine.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      assertThat(m.group(1)).isEqualTo(id);
    }
    assertThat(inLine.matcher("span_id=00f067aa0ba902b7 request=42").find()).isFalse();
  }
}
