package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromQlSelectorsTest {
  private static List<String> of(String expr) {
    return PromQlSelectors.of(expr).stream().map(PromQlSelectors.Selector::toString).toList();
  }

  @Test
  void bareRecordedNamesAreSelectorsToo() {
    assertThat(of("instance:node_cpu_utilisation:rate5m > 0.8"))
        .containsExactly("instance:node_cpu_utilisation:rate5m{}");
  }

  @Test
  void groupingLabelsFunctionsKeywordsAndDurationsAreNot() {
    assertThat(
            of(
                "sum by (cluster, job) (rate(a_total{job=\"x\"}[5m])) / on (cluster) group_left (node)"
                    + " b offset 10m unless count without (mode) (c{mode=~\"a|b\"}) > bool 2"))
        .containsExactly("a_total{job=\"x\"}", "b{}", "c{mode=~\"a|b\"}");
  }

  @Test
  void stringsRangesAndCommentsAreSkipped() {
    assertThat(
            of(
                "label_replace(vector(1), \"node\", \"up\", \"\", \"\") # up is not read\n"
                    + " unless on (node) up{job=\"x\", re=~\"a{2}\"}[1h:5m]"))
        .containsExactly("up{job=\"x\", re=~\"a{2}\"}");
  }

  @Test
  void anonymousSelectorsAndAggregationParametersAreFound() {
    assertThat(
            of(
                "{__name__=~\"ipmi_.*_state\", job=\"i\"} == 2 or quantile by (a) (0.5, d{role=\"u\"})"
                    + " or topk(3, e) or histogram_quantile(0.99, sum by (le) (rate(f_bucket[5m])))"))
        .containsExactly(
            "{__name__=~\"ipmi_.*_state\", job=\"i\"}", "d{role=\"u\"}", "e{}", "f_bucket{}");
  }

  @Test
  void localMeansAnEmptyClusterMatcher() {
    List<PromQlSelectors.Selector> s =
        PromQlSelectors.of(
            "a{cluster=\"\"} + b{job=\"x\",cluster = \"\"} + c{cluster=\"rke2\"} + d{xcluster=\"\"}");
    assertThat(s)
        .extracting(PromQlSelectors.Selector::local)
        .containsExactly(true, true, false, false);
    assertThat(s).extracting(x -> x.matches("cluster")).containsExactly(true, true, true, false);
  }
}
