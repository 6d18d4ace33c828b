package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluates the dashboards' own queries with the real PromQL engine of {@code promtool test rules},
 * against homelab-shaped input series, and checks the results. This catches what a parse cannot:
 * joins that fail at evaluation ("many-to-many matching"), selectors that let virtual interfaces or
 * tmpfs through, role fallbacks and severity counts that come out wrong.
 */
class DashboardQueryBehaviourIT {
  private static final String CASES =
      "/dev/vigil/render/grafana/dashboard/query-behaviour.test.yaml";
  private static final Pattern PLACEHOLDER = Pattern.compile("<<([^|>]+)\\|([^|>]+)\\|([^|>]+)>>");

  private static Path promtool;

  @TempDir Path dir;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  @Test
  void dashboardQueriesReturnWhatThePanelsPromise() throws IOException {
    Map<String, String> byKey = new HashMap<>();
    for (Query q : QueryCorpus.queries(QueryCorpus.all())) {
      byKey.put(q.dashboard() + "|" + q.panel() + "|" + q.refId(), q.expr());
    }
    String template;
    try (InputStream in = getClass().getResourceAsStream(CASES)) {
      assertThat(in).as(CASES).isNotNull();
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder filled = new StringBuilder();
    int cases = 0;
    while (m.find()) {
      String key = m.group(1) + "|" + m.group(2) + "|" + m.group(3);
      String expr = byKey.get(key);
      assertThat(expr).as("no dashboard query " + key).isNotNull();
      m.appendReplacement(filled, Matcher.quoteReplacement("'" + expr.replace("'", "''") + "'"));
      cases++;
    }
    m.appendTail(filled);
    assertThat(cases).isGreaterThan(25);
    Files.writeString(dir.resolve("empty.rules.yaml"), "groups: []\n");
    Path tests = dir.resolve("dashboard-queries.test.yaml");
    Files.writeString(tests, filled.toString());

    Tools.Run run =
        Tools.run(dir, 120, List.of(promtool.toString(), "test", "rules", tests.toString()));
    assertThat(run.ok()).as("promtool test rules:\n" + run.output()).isTrue();
    assertThat(run.output()).contains("SUCCESS");
  }
}
