package dev.vigil.lint.rules;

import static dev.vigil.lint.Severity.ERROR;
import static dev.vigil.lint.Severity.WARNING;

import dev.vigil.lint.ConfigDoc;
import dev.vigil.lint.Context;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.Rule;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prometheus rule files, in ConfigMap entries, in plain files and in PrometheusRule resources of
 * the Prometheus operator: that Prometheus loads them, and the conventions an on-call engineer
 * relies on when an alert arrives.
 */
final class RuleFileRules {
  private RuleFileRules() {}

  static final List<String> SEVERITIES = List.of("critical", "warning", "info", "none");
  static final List<String> ALERT_ANNOTATIONS = List.of("summary", "description", "runbook_url");
  static final long MIN_FOR_MS = 60_000;
  private static final Set<String> FILE_KEYS = Set.of("groups");
  private static final Set<String> GROUP_KEYS =
      Set.of("name", "interval", "query_offset", "limit", "rules", "labels");

  /** The operator's PrometheusRule adds Thanos' partial_response_strategy to a group. */
  private static final Set<String> RESOURCE_GROUP_KEYS =
      Set.of(
          "name",
          "interval",
          "query_offset",
          "limit",
          "rules",
          "labels",
          "partial_response_strategy");

  private static final Set<String> RULE_KEYS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  /** Prometheus' duration syntax (model.ParseDuration): units largest first, each at most once. */
  private static final Pattern DURATION =
      Pattern.compile("(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");

  private static final Pattern LEVEL_METRIC_OPERATIONS =
      Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*(:[a-zA-Z0-9_]+)+");

  /**
   * One rule file wherever it was found: a configuration (ConfigMap entry or file) or the spec of a
   * PrometheusRule resource.
   */
  record RuleFile(ConfigDoc config, Manifest resource, Map<String, Object> root) {
    void report(Context ctx, Object node, String message) {
      if (config != null) {
        ctx.report(config, node, lineInText(ctx, node), message);
      } else {
        ctx.report(resource, node, message);
      }
    }

    /**
     * The line of a rule ({@code - alert: NAME}, {@code - record: NAME}) or a group ({@code - name:
     * NAME}) in the text of a ConfigMap entry, found by its spelling: the configuration inside an
     * entry is read without line numbers. 0 when not found.
     */
    int lineInText(Context ctx, Object node) {
      if (config.owner() == null || config.text() == null || !(node instanceof Map<?, ?> m)) {
        return 0;
      }
      // One pass over each entry's text, however many findings it has.
      Map<String, Map<String, Integer>> lines =
          ctx.memo("rule-lines-in-entries", java.util.IdentityHashMap::new);
      Map<String, Integer> index = lines.computeIfAbsent(config.text(), RuleFileRules::ruleLines);
      for (String key : List.of("alert", "record", "name")) {
        String value = YamlValues.str(m, key);
        if (value != null && !value.isEmpty()) {
          return index.getOrDefault(key + ": " + value, 0);
        }
      }
      return 0;
    }

    List<Object> groups() {
      return YamlValues.list(root, "groups");
    }

    /** Loki's ruler reads the same format with LogQL expressions, which are not PromQL. */
    boolean logql() {
      for (Object g : groups()) {
        for (Object r : YamlValues.list(g, "rules")) {
          String expr = YamlValues.str(r, "expr");
          if (expr != null && looksLikeLogql(expr)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /**
   * The 1-based line of the first {@code alert:}, {@code record:} and {@code name:} of each value
   * in {@code text} (quotes removed), by "key: value".
   */
  static Map<String, Integer> ruleLines(String text) {
    Map<String, Integer> out = new HashMap<>();
    int line = 1;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String l = text.substring(start, end).strip();
      if (l.startsWith("- ")) {
        l = l.substring(2).strip();
      }
      for (String key : List.of("alert", "record", "name")) {
        if (l.startsWith(key + ":")) {
          String v = l.substring(key.length() + 1).strip();
          if (v.length() >= 2
              && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
          }
          out.putIfAbsent(key + ": " + v, line);
        }
      }
      line++;
      start = end + 1;
    }
    return out;
  }

  /** A pipe outside quotes is LogQL's (PromQL has no such token), and so are its byte functions. */
  static boolean looksLikeLogql(String expr) {
    char quote = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '|') {
        return true;
      }
    }
    return expr.contains("bytes_over_time(") || expr.contains("bytes_rate(");
  }

  static List<RuleFile> ruleFiles(Context ctx) {
    return ctx.memo(
        "prometheus-rule-files",
        () -> {
          List<RuleFile> files = new ArrayList<>();
          for (ConfigDoc c : ctx.configs()) {
            if (c.type() == ConfigDoc.Type.PROMETHEUS_RULES) {
              files.add(new RuleFile(c, null, c.parsed()));
            }
          }
          for (Manifest m : ctx.ofKind("PrometheusRule")) {
            if (m.apiVersion().startsWith("monitoring.coreos.com/")) {
              files.add(new RuleFile(null, m, YamlValues.map(m.root(), "spec")));
            }
          }
          return files;
        });
  }

  /** What a rule check sees: the file, the group and the rule with their positions. */
  private interface RuleCheck {
    void check(
        Context ctx,
        RuleFile file,
        Map<String, Object> group,
        Map<String, Object> rule,
        String name);
  }

  private static Rule rule(
      String id,
      dev.vigil.lint.Severity sev,
      String title,
      String doc,
      String fix,
      RuleCheck check) {
    return new Rule(id, sev, LintProfile.VIGIL, "monitoring", title, doc, fix) {
      @Override
      public void check(Context ctx) {
        for (RuleFile f : ruleFiles(ctx)) {
          forEachRule(f, (group, rule, name) -> check.check(ctx, f, group, rule, name));
        }
      }
    };
  }

  private interface Visit {
    void visit(Map<String, Object> group, Map<String, Object> rule, String name);
  }

  private static void forEachRule(RuleFile f, Visit visit) {
    if (f.root() == null) {
      return;
    }
    for (Object g : f.groups()) {
      if (!(g instanceof Map<?, ?>)) {
        continue;
      }
      Map<String, Object> group = YamlValues.asMap(g);
      List<Object> rules = YamlValues.list(group, "rules");
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i) instanceof Map<?, ?>) {
          Map<String, Object> rule = YamlValues.asMap(rules.get(i));
          visit.visit(group, rule, describe(group, rule, i));
        }
      }
    }
  }

  /** {@code group 'node' alert NodeDown}, for messages. */
  static String describe(Map<String, Object> group, Map<String, Object> rule, int index) {
    String g = "group '" + YamlValues.str(group, "name") + "' ";
    String alert = YamlValues.str(rule, "alert");
    String record = YamlValues.str(rule, "record");
    return g
        + (alert != null
            ? "alert " + alert
            : record != null ? "record " + record : "rule " + (index + 1));
  }

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    r.add(
        new Rule(
            "rule-file-syntax",
            ERROR,
            LintProfile.VIGIL,
            "monitoring",
            "Prometheus loads the rule file",
            "A Prometheus rule file (a ConfigMap entry named *.rules, *.rules.yaml or *.rules.yml, any"
                + " YAML whose top level is a groups list of {name, rules}, or a PrometheusRule"
                + " resource's spec) has the structure Prometheus 3.5 requires: groups with a name that"
                + " is unique in the file and a rules list, each rule either an alert or a record with"
                + " an expr, durations (for, keep_firing_for, interval, query_offset) in Prometheus'"
                + " syntax, no field Prometheus does not know (it refuses them), no for, keep_firing_for"
                + " or annotations on a recording rule, and template actions ({{ }}) closed in"
                + " labels and annotations. Prometheus refuses a whole file for one such error: at"
                + " start-up it does not start, on reload it keeps the old rules and reports the"
                + " reload as failed. With --promtool, promtool check rules also checks every file.",
            "Fix the field the message names; `promtool check rules FILE` shows the same errors.") {
          @Override
          public void check(Context ctx) {
            syntax(ctx);
          }
        });
    r.add(
        rule(
            "promql-syntax",
            ERROR,
            "Rule expressions are PromQL",
            "Every rule's expr reads as PromQL as Prometheus 3.5 parses it: balanced parentheses,"
                + " braces and brackets, quoted strings with valid escapes, label matchers (=, !=, =~,"
                + " !~ and a quoted value), known function names with the right number of arguments,"
                + " aggregations with their by/without clause, durations (5m, 1h30m; units largest"
                + " first), ranges only on selectors and subqueries with a step. This is a syntactic"
                + " check without types (a range vector where an instant vector is expected passes):"
                + " promtool check rules, or vigil lint --promtool, is the full check. Expressions"
                + " with LogQL pipes (a Loki ruler's rule file) are not checked.",
            "Correct the expression at the line and column the message names.",
            RuleFileRules::promql));
    r.add(
        rule(
            "alert-metadata",
            WARNING,
            "Alerts carry severity, summary, description and runbook",
            "Every alerting rule sets labels.severity to one of "
                + String.join(", ", SEVERITIES)
                + " (routing and inhibition depend on it; a group's labels count) and the annotations "
                + String.join(", ", ALERT_ANNOTATIONS)
                + ": the person paged at night reads the"
                + " summary, needs the description to know what broke and the runbook to know what to"
                + " do.",
            "Add labels.severity and the missing annotations to the alert.",
            RuleFileRules::alertMetadata));
    r.add(
        rule(
            "alert-for-duration",
            WARNING,
            "Alerts wait at least a minute before firing",
            "An alerting rule without for fires on the first evaluation whose expression matches:"
                + " one slow scrape, one restart or one spike pages someone, and the alert flaps. Every"
                + " alert sets for to 1m or more, except alerts meant to fire at once, which say so:"
                + " an explicit for: 0s (a counter that increased, an event that happened), or"
                + " severity none (a Watchdog heartbeat or an inhibition helper, which page nobody).",
            "Set for: 5m (or at least 1m); write for: 0s if the alert is meant to fire at once.",
            RuleFileRules::alertFor));
    r.add(
        rule(
            "recording-rule-name",
            WARNING,
            "Recording rules are named level:metric:operations",
            "A recording rule's name follows Prometheus' convention level:metric:operations — the"
                + " labels it keeps (instance, job, cluster_namespace), the metric it comes from, and"
                + " the operations applied, newest first (rate5m, sum, ratio) — so that a reader can"
                + " tell a recorded series from a scraped one and knows what it aggregates. Every part"
                + " is present: apiserver_request:burnrate1d lacks one, :node_memory:sum has an empty"
                + " level.",
            "Rename the record to level:metric:operations (for example instance:node_cpu_utilisation:rate5m).",
            RuleFileRules::recordName));
    r.add(
        new Rule(
            "duplicate-rule",
            WARNING,
            LintProfile.VIGIL,
            "monitoring",
            "Rules in a group are not duplicated",
            "Two alerting rules of one group with the same name, the same labels and the same"
                + " selectors in their expressions (a copy with another threshold) send alerts"
                + " Alertmanager cannot tell apart: they replace each other and resolve each other;"
                + " two such recording rules write the same series, so Prometheus rejects the samples"
                + " of one of them. The same name with different labels (a warning and a critical"
                + " variant, one record per verb) or with selectors that pick other series"
                + " (code=~\"2..\" and code=~\"5..\") is not a duplicate.",
            "Remove one of the rules, or give them labels that tell them apart.") {
          @Override
          public void check(Context ctx) {
            duplicates(ctx);
          }
        });
    return r;
  }

  // ---- rule-file-syntax ---------------------------------------------------------------------

  static boolean duration(Object v) {
    String s = YamlValues.scalar(v);
    if (s == null) {
      return false;
    }
    return s.equals("0") || !s.isEmpty() && DURATION.matcher(s).matches();
  }

  /** Milliseconds of a valid Prometheus duration, or -1. */
  static long durationMs(Object v) {
    return duration(v)
        ? MonitoringRules.durationMs(YamlValues.scalar(v).equals("0") ? "0s" : YamlValues.scalar(v))
        : -1;
  }

  private static void syntax(Context ctx) {
    for (RuleFile f : ruleFiles(ctx)) {
      fileSyntax(ctx, f);
    }
    if (ctx.config().promtool() != null) {
      Promtool.checkAll(ctx, ruleFiles(ctx));
    }
  }

  private static void fileSyntax(Context ctx, RuleFile f) {
    if (f.root() == null) {
      f.report(ctx, null, "not YAML: " + Promtool.yamlError(f.config().text()));
      return;
    }
    boolean resource = f.resource() != null;
    String in = resource ? "spec" : "the file";
    for (String k : f.root().keySet()) {
      if (!FILE_KEYS.contains(k)) {
        f.report(
            ctx, f.root(), "field " + k + " not found in " + in + " (a rule file has only groups)");
      }
    }
    Object groups = f.root().get("groups");
    if (!(groups instanceof List<?>)) {
      if (!resource || groups != null) {
        f.report(
            ctx,
            f.root(),
            groups == null
                ? "no groups: a rule file is groups: [{name, rules: [...]}]"
                : "groups is not a list");
      }
      return;
    }
    Set<String> names = new HashSet<>();
    List<Object> list = f.groups();
    for (int gi = 0; gi < list.size(); gi++) {
      Object g = list.get(gi);
      if (!(g instanceof Map<?, ?>)) {
        f.report(ctx, list, "groups[" + gi + "] is not a mapping with name and rules");
        continue;
      }
      Map<String, Object> group = YamlValues.asMap(g);
      String name = YamlValues.str(group, "name");
      String where = "group '" + name + "'";
      if (name == null || name.isEmpty()) {
        f.report(ctx, group, "groups[" + gi + "] has no name");
        where = "groups[" + gi + "]";
      } else if (!names.add(name)) {
        f.report(ctx, group, where + " is repeated in the same file");
      }
      for (String k : group.keySet()) {
        if (!(resource ? RESOURCE_GROUP_KEYS : GROUP_KEYS).contains(k)) {
          f.report(ctx, group, where + ": field " + k + " not found in a rule group");
        }
      }
      for (String k : List.of("interval", "query_offset")) {
        if (group.get(k) != null && !duration(group.get(k))) {
          f.report(
              ctx,
              group,
              where
                  + ": "
                  + k
                  + " '"
                  + YamlValues.scalar(group.get(k))
                  + "' is not a duration (such as 1m or 1h30m)");
        }
      }
      if (group.get("limit") != null && !(group.get("limit") instanceof Number)) {
        f.report(ctx, group, where + ": limit is not a number");
      }
      stringMap(ctx, f, group, group.get("labels"), where + ": labels");
      Object rules = group.get("rules");
      if (rules != null && !(rules instanceof List<?>)) {
        f.report(ctx, group, where + ": rules is not a list");
        continue;
      }
      List<Object> rl = YamlValues.list(group, "rules");
      for (int ri = 0; ri < rl.size(); ri++) {
        if (!(rl.get(ri) instanceof Map<?, ?>)) {
          f.report(ctx, rl, where + " rules[" + ri + "] is not a mapping");
          continue;
        }
        ruleSyntax(
            ctx,
            f,
            YamlValues.asMap(rl.get(ri)),
            describe(group, YamlValues.asMap(rl.get(ri)), ri));
      }
    }
  }

  private static void ruleSyntax(Context ctx, RuleFile f, Map<String, Object> rule, String name) {
    String alert = YamlValues.str(rule, "alert");
    String record = YamlValues.str(rule, "record");
    boolean isAlert = alert != null && !alert.isEmpty();
    boolean isRecord = record != null && !record.isEmpty();
    if (isAlert && isRecord) {
      f.report(ctx, rule, name + ": only one of record and alert may be set");
    } else if (!isAlert && !isRecord) {
      f.report(ctx, rule, name + ": one of record or alert must be set");
    }
    for (String k : rule.keySet()) {
      if (!RULE_KEYS.contains(k)) {
        f.report(ctx, rule, name + ": field " + k + " not found in a rule");
      }
    }
    String expr = YamlValues.scalar(rule.get("expr"));
    if (expr == null || expr.isBlank()) {
      f.report(ctx, rule, name + ": expr must be set");
    }
    for (String k : List.of("for", "keep_firing_for")) {
      if (rule.get(k) != null && !duration(rule.get(k))) {
        f.report(
            ctx,
            rule,
            name
                + ": "
                + k
                + " '"
                + YamlValues.scalar(rule.get(k))
                + "' is not a duration (such as 5m or 1h30m)");
      }
    }
    if (isRecord && !isAlert) {
      for (String k : List.of("for", "keep_firing_for", "annotations")) {
        if (rule.containsKey(k)) {
          f.report(ctx, rule, name + ": a recording rule has no " + k);
        }
      }
      if (record.contains("{") || record.contains("}")) {
        f.report(ctx, rule, name + ": braces in the record name; should they be in expr?");
      }
    }
    stringMap(ctx, f, rule, rule.get("labels"), name + ": labels");
    stringMap(ctx, f, rule, rule.get("annotations"), name + ": annotations");
    if (isAlert) {
      for (String k : List.of("labels", "annotations")) {
        for (Map.Entry<String, Object> e : YamlValues.map(rule, k).entrySet()) {
          String v = YamlValues.scalar(e.getValue());
          String bad = v == null ? null : template(v);
          if (bad != null) {
            f.report(ctx, rule, name + ": " + k + "." + e.getKey() + ": " + bad);
          }
        }
      }
    }
  }

  /** Labels and annotations are maps of names to text; a nested value is a YAML type error. */
  private static void stringMap(
      Context ctx, RuleFile f, Map<String, Object> owner, Object value, String what) {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> m)) {
      f.report(ctx, owner, what + " is not a mapping");
      return;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() instanceof Map || e.getValue() instanceof List) {
        f.report(ctx, owner, what + "." + e.getKey() + " is not a string");
      } else if (String.valueOf(e.getKey()).isEmpty()) {
        f.report(ctx, owner, what + " has an empty name");
      }
    }
  }

  /**
   * Go template actions in an alert's labels and annotations: every {{ is closed by }} before the
   * next one opens, quotes inside an action are closed. Prometheus parses them when it loads the
   * file; this is the part of that parse a typo breaks.
   */
  static String template(String text) {
    int i = 0;
    while (true) {
      int open = text.indexOf("{{", i);
      int stray = text.indexOf("}}", i);
      if (open < 0) {
        return null;
      }
      if (stray >= 0 && stray < open) {
        i = stray + 2; // text "}}" outside an action is printed as is
        continue;
      }
      int j = open + 2;
      char quote = 0;
      boolean closed = false;
      while (j < text.length()) {
        char c = text.charAt(j);
        if (quote != 0) {
          if (c == '\\' && quote != '`') {
            j++;
          } else if (c == quote) {
            quote = 0;
          } else if (c == '\n' && quote != '`') {
            return "unterminated quoted string in template action";
          }
        } else if (c == '"' || c == '`' || c == '\'') {
          quote = c;
        } else if (c == '}' && j + 1 < text.length() && text.charAt(j + 1) == '}') {
          closed = true;
          break;
        } else if (c == '{' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
          return "template action opened with {{ inside another action";
        }
        j++;
      }
      if (!closed) {
        return quote != 0
            ? "unterminated quoted string in template action"
            : "unclosed template action: {{ without }}";
      }
      i = j + 2;
    }
  }

  // ---- promql-syntax ------------------------------------------------------------------------

  private static void promql(
      Context ctx, RuleFile f, Map<String, Object> group, Map<String, Object> rule, String name) {
    String expr = YamlValues.scalar(rule.get("expr"));
    Map<RuleFile, Boolean> logql = ctx.memo("rule-files-in-logql", java.util.IdentityHashMap::new);
    if (expr == null || expr.isBlank() || logql.computeIfAbsent(f, RuleFile::logql)) {
      return;
    }
    String problem = PromQl.problem(expr);
    if (problem != null) {
      f.report(ctx, rule, name + ": expr does not parse: " + problem);
    }
  }

  // ---- alert conventions --------------------------------------------------------------------

  /** The alert's severity: its own label, else its group's. */
  private static String severity(Map<String, Object> group, Map<String, Object> rule) {
    String own = YamlValues.str(YamlValues.map(rule, "labels"), "severity");
    return own != null ? own : YamlValues.str(YamlValues.map(group, "labels"), "severity");
  }

  private static void alertMetadata(
      Context ctx, RuleFile f, Map<String, Object> group, Map<String, Object> rule, String name) {
    if (YamlValues.str(rule, "alert") == null) {
      return;
    }
    String severity = severity(group, rule);
    if (severity == null || severity.isBlank()) {
      f.report(
          ctx,
          rule,
          name + " has no labels.severity (one of " + String.join(", ", SEVERITIES) + ")");
    } else if (!SEVERITIES.contains(severity) && !severity.contains("{{")) {
      f.report(
          ctx,
          rule,
          name
              + " has labels.severity '"
              + severity
              + "', not one of "
              + String.join(", ", SEVERITIES));
    }
    List<String> missing = new ArrayList<>();
    Map<String, Object> annotations = YamlValues.map(rule, "annotations");
    for (String a : ALERT_ANNOTATIONS) {
      String v = YamlValues.str(annotations, a);
      if (v == null || v.isBlank()) {
        missing.add(a);
      }
    }
    if (!missing.isEmpty()) {
      f.report(ctx, rule, name + " has no annotation " + String.join(", ", missing));
    }
  }

  private static void alertFor(
      Context ctx, RuleFile f, Map<String, Object> group, Map<String, Object> rule, String name) {
    if (YamlValues.str(rule, "alert") == null || "none".equals(severity(group, rule))) {
      return;
    }
    Object value = rule.get("for");
    if (value == null) {
      f.report(
          ctx,
          rule,
          name
              + " has no for: it fires on the first evaluation that matches"
              + " (write for: 0s if it is meant to fire at once)");
      return;
    }
    long ms = durationMs(value);
    if (ms > 0 && ms < MIN_FOR_MS) {
      f.report(ctx, rule, name + " has for: " + YamlValues.scalar(value) + ", shorter than 1m");
    }
  }

  private static void recordName(
      Context ctx, RuleFile f, Map<String, Object> group, Map<String, Object> rule, String name) {
    String record = YamlValues.str(rule, "record");
    if (record == null
        || record.isEmpty()
        || YamlValues.str(rule, "alert") != null
        || record.contains("{")) {
      return; // not a recording rule, or rule-file-syntax's finding
    }
    if (!LEVEL_METRIC_OPERATIONS.matcher(record).matches()) {
      f.report(ctx, rule, name + ": the name does not follow level:metric:operations");
    }
  }

  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");

  /**
   * The label matchers of an expression, whitespace removed, sorted: two rules whose selectors
   * differ (code=~"2.." and code=~"5..") write different series under one name.
   */
  static List<String> matchers(String expr) {
    List<String> out = new ArrayList<>();
    if (expr != null) {
      java.util.regex.Matcher m = MATCHERS.matcher(expr);
      while (m.find()) {
        out.add(m.group().replaceAll("\\s+", ""));
      }
      out.sort(null);
    }
    return out;
  }

  private static void duplicates(Context ctx) {
    for (RuleFile f : ruleFiles(ctx)) {
      if (f.root() == null) {
        continue;
      }
      for (Object g : f.groups()) {
        Map<String, Object> group = YamlValues.asMap(g);
        Map<String, Integer> seen = new HashMap<>();
        List<Object> rules = YamlValues.list(group, "rules");
        for (int i = 0; i < rules.size(); i++) {
          Map<String, Object> rule = YamlValues.asMap(rules.get(i));
          String alert = YamlValues.str(rule, "alert");
          String record = YamlValues.str(rule, "record");
          if (alert == null && record == null) {
            continue;
          }
          Map<String, String> labels = new TreeMap<>();
          YamlValues.map(group, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
          YamlValues.map(rule, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
          String key =
              (alert != null ? "alert " + alert : "record " + record)
                  + " "
                  + labels
                  + " "
                  + matchers(YamlValues.scalar(rule.get("expr")));
          Integer first = seen.putIfAbsent(key, i);
          if (first != null) {
            f.report(
                ctx,
                rule,
                describe(group, rule, i)
                    + " repeats rules["
                    + first
                    + "] of its group: same labels "
                    + labels
                    + " and the same selectors, so both produce the same series");
          }
        }
      }
    }
  }
}
