package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromQlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "up",
        "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))",
        "histogram_avg(rate(x[5m]))",
        "{\"my.metric\", job=\"a\"}",
        "rate(x[300])",
        "info(up, {k8s_cluster_name=~\".+\"})",
        "sum by (\"quoted.label\") (up)",
        "up offset -5m",
        "sort_by_label(up, \"job\", \"instance\")",
        "limitk(2, up)",
        "1_000 + 0x_1f",
        "`raw\nstring` != bool 1",
        "x[5m:]",
        "offset",
      })
  void accepts(String expr) {
    assertThat(PromQl.problem(expr)).as(expr).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sum(up                      | line 1, column 4: unclosed left parenthesis",
        "sum(up))                    | line 1, column 8: unexpected ')' after a complete expression",
        "rate(x[5m]                  | line 1, column 5: unclosed left parenthesis",
        "up{job=node}                | line 1, column 8: unexpected 'node' in label matching, expected a quoted string",
        "up{job=\"a}                 | line 1, column 8: unterminated quoted string",
        "rates(x[5m])                | line 1, column 1: unknown function with name \"rates\"",
        "rate(x[5min])               | line 1, column 8: bad number or duration syntax: \"5mi\"",
        "rate(x[1m1h])               | line 1, column 8: not a valid duration string: \"1m1h\"",
        "rate(x[5m], 1)              | line 1, column 1: expected 1 argument(s) in call to \"rate\", got 2",
        "label_join(up, \"a\")       | line 1, column 1: expected at least 3 argument(s) in call to \"label_join\", got 2",
        "topk(up)                    | line 1, column 5: wrong number of arguments for aggregate expression provided, expected 2, got 1",
        "sum(up) by job              | line 1, column 12: unexpected 'job', expected '(' and a list of labels",
        "rate(sum(x)[5m])            | line 1, column 12: ranges only allowed for vector selectors (a subquery needs a step: [5m:1m] or [5m:])",
        "up = 1                      | line 1, column 4: unexpected '=' (comparison is '==')",
        "up and bool down            | line 1, column 8: bool modifier can only be used on comparison operators",
        "up{a=\"\\q\"}               | line 1, column 7: unknown escape sequence \\q",
        "up > 0 and on(job) group_left b | line 1, column 20: no grouping allowed for \"and\" operation",
        "''                          | ",
        "rate(x[.5m])                | line 1, column 8: bad number or duration syntax: \".\"",
      })
  void refuses(String expr, String message) {
    String e = expr.strip();
    String problem = PromQl.problem(e);
    if (message == null) {
      assertThat(problem).as(e).isNotNull();
    } else {
      assertThat(problem).as(e).isEqualTo(message.strip());
    }
  }

  @Test
  void deepNestingIsRefusedQuicklyNotOverflowed() {
    String deep = "(".repeat(100_000) + "up" + ")".repeat(100_000);
    long start = System.nanoTime();
    assertThat(PromQl.problem(deep)).contains("nested deeper than " + PromQl.MAX_DEPTH);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    String unary = "-".repeat(100_000) + "1";
    assertThat(PromQl.problem(unary)).contains("nested deeper");
  }

  @Test
  void knowsEveryFunctionOfPrometheus35() {
    // The function table of promql/parser/functions.go at v3.5.0: 80 functions.
    assertThat(PromQl.FUNCTIONS).hasSize(80);
    assertThat(PromQl.FUNCTIONS).doesNotContainKey("holt_winters"); // renamed in 3.0
    assertThat(PromQl.FUNCTIONS.get("double_exponential_smoothing").experimental()).isTrue();
  }
}
