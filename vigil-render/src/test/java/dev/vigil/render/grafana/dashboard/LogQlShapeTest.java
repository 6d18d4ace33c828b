package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LogQL cannot be run through a real Loki here, so every Loki query of the catalog gets the
 * structural check of {@link LogQlShape}; the checker itself is shown to catch broken queries.
 */
class LogQlShapeTest {
  @Test
  void everyLokiQueryOfTheCatalogIsWellFormed() {
    List<Query> loki =
        QueryCorpus.queries(QueryCorpus.all()).stream()
            .filter(q -> q.datasourceType().equals("loki"))
            .toList();
    assertThat(loki).hasSizeGreaterThanOrEqualTo(6);
    for (Query q : loki) {
      assertThat(LogQlShape.problems(q.expr())).as(q.where() + ": " + q.expr()).isEmpty();
    }
  }

  @Test
  void acceptsWellFormedQueries() {
    assertThat(LogQlShape.problems("{job=\"systemd-journal\"}")).isEmpty();
    assertThat(LogQlShape.problems("{namespace=~\".+\",namespace!~\"a|b\"} |= \"x\"")).isEmpty();
    assertThat(
            LogQlShape.problems(
                "sum by (namespace) (rate({namespace=~\".+\"} |~ \"(?i)error|fail\" [1m]))"))
        .isEmpty();
  }

  @Test
  void catchesBrokenQueries() {
    assertThat(LogQlShape.problems("{job=\"x\"")).containsExactly("unclosed '{'");
    assertThat(LogQlShape.problems("{job=\"x}")).contains("unterminated string");
    assertThat(LogQlShape.problems("sum(rate({job=\"x\"}[1m])))"))
        .anyMatch(p -> p.startsWith("unbalanced ')'"));
    assertThat(LogQlShape.problems("sum(rate(up[1m]))"))
        .contains("no stream selector {label=\"value\"}");
    assertThat(LogQlShape.problems("{namespace=~\".*\"}"))
        .anyMatch(p -> p.contains("no matcher that excludes the empty value"));
    assertThat(LogQlShape.problems("{namespace!=\"a\"}"))
        .anyMatch(p -> p.contains("no matcher that excludes the empty value"));
    assertThat(LogQlShape.problems("{}")).contains("empty stream selector {}");
    assertThat(LogQlShape.problems("{job=x}")).anyMatch(p -> p.startsWith("malformed matcher"));
    assertThat(LogQlShape.problems("count_over_time({job=\"x\"})"))
        .contains("range function without a [duration] range");
    assertThat(LogQlShape.problems("{job=\"x\"} |~ \"(unclosed\""))
        .anyMatch(p -> p.startsWith("line filter regex does not compile"));
    assertThat(LogQlShape.problems("rate({job=\"x\"} [$__auto])"))
        .contains("unsubstituted variable");
  }
}
