package dev.vigil.render.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every Vigil alert must follow, as plain functions from parsed YAML to a list of
 * problems, so that the checks themselves can be tested on files that break them.
 */
final class RuleChecks {
  static final Set<String> SEVERITIES = Set.of("critical", "warning", "info", "none");
  private static final Pattern SECTION = Pattern.compile("(?m)^## ([A-Za-z0-9]+)[ \\t]*$");
  private static final Pattern LEVEL_TWO = Pattern.compile("(?m)^## ");
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![A-Za-z0-9_:])([A-Za-z_][A-Za-z0-9_:]*)?\\{([^}]*)}");
  private static final Pattern JOB_MATCHER = Pattern.compile("(^|[,\\s])job\\s*(=|!=|=~|!~)");

  private RuleChecks() {}

  /** Distinct alert names of a rule file, in file order. */
  static Set<String> alertNames(JsonNode rulesYaml) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode alert : RuleFiles.alerts(rulesYaml)) {
      names.add(alert.get("alert").asText());
    }
    return names;
  }

  /** Labels and annotations every alert carries. */
  static List<String> conventions(String file, JsonNode rulesYaml) {
    List<String> problems = new ArrayList<>();
    for (JsonNode alert : RuleFiles.alerts(rulesYaml)) {
      String name = alert.get("alert").asText();
      String where = file + ": alert " + name + ": ";
      String severity = alert.path("labels").path("severity").asText("");
      if (!SEVERITIES.contains(severity)) {
        problems.add(
            where + "labels.severity must be one of " + SEVERITIES + ", got '" + severity + "'");
      }
      JsonNode annotations = alert.path("annotations");
      for (String key : List.of("summary", "description")) {
        if (annotations.path(key).asText("").isBlank()) {
          problems.add(where + "annotations." + key + " is missing");
        }
      }
      String runbook = annotations.path("runbook_url").asText("");
      if (!runbook.equals(RuleFiles.runbookUrl(name))) {
        problems.add(
            where
                + "annotations.runbook_url must be "
                + RuleFiles.runbookUrl(name)
                + ", got '"
                + runbook
                + "'");
      }
    }
    return problems;
  }

  /**
   * Every alert of the rule file needs a promtool case where it fires (non-empty exp_alerts) and
   * one where it must stay silent (empty exp_alerts); every tested alert must exist.
   */
  static List<String> coverage(String file, JsonNode rulesYaml, JsonNode testYaml) {
    Set<String> firing = new LinkedHashSet<>();
    Set<String> silent = new LinkedHashSet<>();
    Set<String> tested = new LinkedHashSet<>();
    for (JsonNode test : testYaml.path("tests")) {
      for (JsonNode case_ : test.path("alert_rule_test")) {
        String name = case_.path("alertname").asText("");
        tested.add(name);
        JsonNode exp = case_.path("exp_alerts");
        if (exp.isArray() && !exp.isEmpty()) {
          firing.add(name);
        } else if (exp.isMissingNode() || exp.isNull() || (exp.isArray() && exp.isEmpty())) {
          silent.add(name);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    Set<String> names = alertNames(rulesYaml);
    Set<String> alwaysFiring = alwaysFiring(rulesYaml);
    for (String name : names) {
      if (!firing.contains(name)) {
        problems.add(file + ": alert " + name + " has no unit test case where it fires");
      }
      if (!silent.contains(name) && !alwaysFiring.contains(name)) {
        problems.add(file + ": alert " + name + " has no unit test case where it must not fire");
      }
    }
    for (String name : tested) {
      if (!names.contains(name)) {
        problems.add(
            file + ": unit tests name alert '" + name + "', which the rule file does not define");
      }
    }
    return problems;
  }

  /**
   * Heartbeat alerts ({@code expr: vector(1)}, severity none) fire by construction, so no input can
   * silence them; they are the one exception to the "must not fire" case.
   */
  static Set<String> alwaysFiring(JsonNode rulesYaml) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode alert : RuleFiles.alerts(rulesYaml)) {
      boolean heartbeat = alert.path("expr").asText("").strip().equals("vector(1)");
      boolean silentSeverity = alert.path("labels").path("severity").asText("").equals("none");
      if (heartbeat && silentSeverity) {
        out.add(alert.get("alert").asText());
      }
    }
    return out;
  }

  /** Every recording rule needs a promql_expr_test that evaluates it by name. */
  static List<String> recordingCoverage(String file, JsonNode rulesYaml, JsonNode testYaml) {
    Set<String> exercised = new LinkedHashSet<>();
    for (JsonNode test : testYaml.path("tests")) {
      for (JsonNode case_ : test.path("promql_expr_test")) {
        String expr = case_.path("expr").asText("");
        if (case_.path("exp_samples").isArray() && !case_.path("exp_samples").isEmpty()) {
          exercised.add(expr);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : RuleFiles.recordings(rulesYaml)) {
      String name = rule.get("record").asText();
      boolean covered = exercised.stream().anyMatch(expr -> expr.contains(name));
      if (!covered) {
        problems.add(
            file + ": recording rule " + name + " has no promql_expr_test with expected samples");
      }
    }
    return problems;
  }

  /**
   * Every selector of every rule keeps to the local cluster. Series federated from another cluster
   * carry its {@code cluster} label, the local Prometheus' own series none (external labels are
   * added only on the way out), so {@code cluster=""} is what "here" means; a rule that reads a
   * named cluster on purpose says so with its own {@code cluster} matcher. See
   * docs/decisions/0010-rules-judge-the-local-cluster.md.
   */
  static List<String> clusterScope(String file, JsonNode rulesYaml) {
    List<String> problems = new ArrayList<>();
    List<JsonNode> rules = new ArrayList<>(RuleFiles.alerts(rulesYaml));
    rules.addAll(RuleFiles.recordings(rulesYaml));
    for (JsonNode rule : rules) {
      for (PromQlSelectors.Selector s : PromQlSelectors.of(rule.path("expr").asText(""))) {
        if (!s.matches("cluster")) {
          problems.add(
              file
                  + ": "
                  + ruleName(rule)
                  + ": selector "
                  + s
                  + " also reads federated series; add cluster=\"\"");
        }
      }
    }
    return problems;
  }

  /**
   * Every alert needs a promtool case where a federated copy of a series it reads (a series with
   * another {@code cluster} label) is in the input while the local one is unhealthy, and the alert
   * still fires, for the local cluster only. Heartbeats, which read nothing, are exempt.
   */
  static List<String> federatedCoverage(String file, JsonNode rulesYaml, JsonNode testYaml) {
    Map<String, String> recordings = new HashMap<>();
    for (JsonNode r : RuleFiles.recordings(rulesYaml)) {
      recordings.merge(r.get("record").asText(), r.path("expr").asText(""), (a, b) -> a + "\n" + b);
    }
    // (alert, names of the federated series in the same case)
    List<Map.Entry<String, List<InputSeries>>> covered = new ArrayList<>();
    for (JsonNode test : testYaml.path("tests")) {
      List<InputSeries> remote = new ArrayList<>();
      for (JsonNode in : test.path("input_series")) {
        InputSeries s = InputSeries.parse(in.path("series").asText(""));
        if (!s.label("cluster").isEmpty()) {
          remote.add(s);
        }
      }
      if (remote.isEmpty()) {
        continue;
      }
      for (JsonNode case_ : test.path("alert_rule_test")) {
        JsonNode exp = case_.path("exp_alerts");
        boolean firesLocally = exp.isArray() && !exp.isEmpty();
        for (JsonNode a : exp) {
          firesLocally &= !a.path("exp_labels").has("cluster");
        }
        if (firesLocally) {
          covered.add(Map.entry(case_.path("alertname").asText(""), remote));
        }
      }
    }
    List<String> problems = new ArrayList<>();
    Set<String> heartbeats = alwaysFiring(rulesYaml);
    Map<String, List<PromQlSelectors.Selector>> reads = new LinkedHashMap<>();
    for (JsonNode alert : RuleFiles.alerts(rulesYaml)) {
      reads
          .computeIfAbsent(alert.get("alert").asText(), k -> new ArrayList<>())
          .addAll(reads(alert.path("expr").asText(""), recordings));
    }
    reads.forEach(
        (name, selectors) -> {
          if (heartbeats.contains(name)) {
            return;
          }
          boolean ok =
              covered.stream()
                  .anyMatch(
                      c ->
                          c.getKey().equals(name)
                              && c.getValue().stream()
                                  .anyMatch(
                                      series ->
                                          selectors.stream()
                                              .anyMatch(
                                                  s ->
                                                      s.selects(
                                                          series.name(),
                                                          series.labels(),
                                                          Set.of("cluster")))));
          if (!ok) {
            problems.add(
                file
                    + ": alert "
                    + name
                    + " has no unit test case where it fires while a"
                    + " federated copy of its series (another cluster label) is in the input");
          }
        });
    return problems;
  }

  /** Selectors an expression reads, through the recording rules of the same file. */
  private static List<PromQlSelectors.Selector> reads(String expr, Map<String, String> recordings) {
    List<PromQlSelectors.Selector> out = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>(List.of(expr));
    Set<String> seen = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      for (PromQlSelectors.Selector s : PromQlSelectors.of(todo.pop())) {
        out.add(s);
        if (recordings.containsKey(s.name()) && seen.add(s.name())) {
          todo.push(recordings.get(s.name()));
        }
      }
    }
    return out;
  }

  /** A promtool input series, {@code name{label="value", ...}}. */
  record InputSeries(String name, Map<String, String> labels) {
    private static final Pattern LABEL =
        Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static InputSeries parse(String text) {
      String t = text.strip();
      int brace = t.indexOf('{');
      String name = brace < 0 ? t : t.substring(0, brace).strip();
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        Matcher m = LABEL.matcher(t.substring(brace + 1, t.lastIndexOf('}')));
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
      }
      if (name.isEmpty()) {
        name = labels.getOrDefault("__name__", "");
      }
      return new InputSeries(name, labels);
    }

    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  private static String ruleName(JsonNode rule) {
    return rule.hasNonNull("alert") ? rule.get("alert").asText() : rule.get("record").asText();
  }

  /** Alert names that have a {@code ## Name} section in the given Markdown documents. */
  static Set<String> documentedAlerts(List<String> markdown) {
    Set<String> out = new LinkedHashSet<>();
    for (String doc : markdown) {
      Matcher m = SECTION.matcher(doc);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The body of each {@code ## Name} section of a Markdown document, up to the next heading. */
  static Map<String, String> sections(String markdown) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(markdown);
    Matcher next = LEVEL_TWO.matcher(markdown);
    while (m.find()) {
      int end = next.find(m.end()) ? next.start() : markdown.length();
      out.put(m.group(1), markdown.substring(m.end(), end));
    }
    return out;
  }

  /**
   * Selectors without a {@code job} matcher also catch same-named series of other exporters and of
   * federated clusters. Every selector of an alert or recording rule names its job, except {@code
   * ALERTS}, which Prometheus writes itself.
   */
  static List<String> jobSelectors(String file, JsonNode rulesYaml) {
    List<String> problems = new ArrayList<>();
    List<JsonNode> rules = new ArrayList<>(RuleFiles.alerts(rulesYaml));
    rules.addAll(RuleFiles.recordings(rulesYaml));
    for (JsonNode rule : rules) {
      String name =
          rule.hasNonNull("alert") ? rule.get("alert").asText() : rule.get("record").asText();
      Matcher m = SELECTOR.matcher(rule.path("expr").asText(""));
      while (m.find()) {
        String metric = m.group(1) == null ? "" : m.group(1);
        if (!metric.equals("ALERTS") && !JOB_MATCHER.matcher(m.group(2)).find()) {
          problems.add(file + ": " + name + ": selector " + m.group() + " has no job matcher");
        }
      }
    }
    return problems;
  }
}
