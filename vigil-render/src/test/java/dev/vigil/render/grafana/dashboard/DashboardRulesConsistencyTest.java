package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.grafana.dashboard.QueryCorpus.Query;
import dev.vigil.render.nodeexporter.NodeMetrics;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Dashboards and rules describe the same hosts: every recording rule a panel queries is defined in
 * the shipped rule files, and node panels leave out the same interfaces and filesystems the
 * recording rules and alerts leave out, so a panel never disagrees with the alert it explains.
 */
class DashboardRulesConsistencyTest {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern RECORDED_NAME =
      Pattern.compile("(?<![A-Za-z0-9_:])([a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+)");

  private final String allRules = allRuleFiles();

  /** Every rule file every component declares, as shipped beside its renderer. */
  private static String allRuleFiles() {
    StringBuilder sb = new StringBuilder();
    for (ComponentRenderer r : ComponentRegistry.load().renderers()) {
      for (String file : r.component().ruleFiles()) {
        sb.append('\n').append(shipped(r.getClass(), file));
      }
    }
    return sb.toString();
  }

  private static String shipped(Class<?> owner, String file) {
    try (java.io.InputStream in = owner.getResourceAsStream(file)) {
      assertThat(in).as(file + " beside " + owner.getName()).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyRecordingRuleADashboardQueriesIsDefined() {
    Set<String> used = new TreeSet<>();
    for (Query q : QueryCorpus.queries(QueryCorpus.all())) {
      if (!q.datasourceType().equals("prometheus")) {
        continue;
      }
      // Colons inside strings (URLs, regexes) are not metric names.
      Matcher m = RECORDED_NAME.matcher(STRING.matcher(q.expr()).replaceAll("\"\""));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertThat(used).contains("instance:node_cpu_utilisation:rate5m");
    for (String name : used) {
      assertThat(allRules)
          .as("recording rule " + name + " is defined")
          .contains("record: " + name + "\n");
    }
  }

  @Test
  void nodePanelsExcludeWhatTheNodeRulesExclude() {
    String nodeRules = shipped(NodeMetrics.class, "node-exporter.rules.yaml");
    assertThat(nodeRules).contains("device!~\"" + NodeMetrics.VIRTUAL_INTERFACES + "\"");
    assertThat(nodeRules).contains("fstype!~\"" + NodeMetrics.VIRTUAL_FILESYSTEMS + "\"");
    assertThat(nodeRules).contains("mountpoint!~\"" + NodeMetrics.EXCLUDED_MOUNTPOINTS + "\"");
  }
}
