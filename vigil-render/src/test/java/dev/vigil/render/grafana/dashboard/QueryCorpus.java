package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.ComponentRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every query the rendered dashboards carry, read back from their JSON (so the checks see what
 * Grafana will see), plus the substitution of template variables into plain PromQL/LogQL.
 */
final class QueryCorpus {
  /**
   * Every component any dashboard requires, plus the optional ones that add panels, so the whole
   * catalog is built with every optional panel, including dashboards added later.
   */
  static final Set<String> ALL_COMPONENTS = allComponents();

  private static Set<String> allComponents() {
    Set<String> all = new TreeSet<>(ComponentRegistry.load().names());
    Dashboards.catalog().forEach(d -> all.addAll(d.requires()));
    return Set.copyOf(all);
  }

  /** Values Grafana's built-in variables take in the substituted queries. */
  static final Map<String, String> BUILT_INS =
      Map.of(
          "__rate_interval", "5m",
          "__interval", "1m",
          "__range", "1h",
          "__auto", "1m");

  private static final Pattern VARIABLE =
      Pattern.compile("\\$(\\{)?([A-Za-z_][A-Za-z0-9_]*)(\\})?");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.+),\\s*([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** One query: where it sits and what it says, with variables replaced. */
  record Query(
      String dashboard,
      String panel,
      String refId,
      String datasourceType,
      String raw,
      String expr) {
    String where() {
      return dashboard + " / " + panel + " / " + refId;
    }
  }

  private QueryCorpus() {}

  static List<Dashboard> all() {
    return Dashboards.forComponents(ALL_COMPONENTS);
  }

  static List<Query> queries(List<Dashboard> dashboards) {
    List<Query> out = new ArrayList<>();
    for (Dashboard d : dashboards) {
      out.addAll(queries(d.uid(), Json.parse(d.toJson())));
    }
    return out;
  }

  /** The queries of one dashboard's JSON, named by {@code where} (usually its uid). */
  static List<Query> queries(String where, JsonNode root) {
    List<Query> out = new ArrayList<>();
    Map<String, String> values = variableValues(root);
    for (JsonNode panel : panels(root)) {
      for (JsonNode t : panel.path("targets")) {
        String raw = t.path("expr").asText();
        String type =
            t.path("datasource")
                .path("type")
                .asText(panel.path("datasource").path("type").asText());
        out.add(
            new Query(
                where,
                panel.path("title").asText(),
                t.path("refId").asText(),
                type,
                raw,
                substitute(raw, values)));
      }
    }
    // A query variable's label_values(selector, label) is checked through its selector.
    for (JsonNode v : root.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        String definition = v.path("definition").asText(v.path("query").asText());
        Matcher m = LABEL_VALUES.matcher(definition);
        if (!m.matches()) {
          throw new AssertionError(
              where + ": variable " + v.path("name").asText() + " is not label_values(...)");
        }
        out.add(
            new Query(
                where,
                "variable $" + v.path("name").asText(),
                "-",
                "prometheus",
                definition,
                substitute(m.group(1), values)));
      }
    }
    return out;
  }

  /** Top-level panels and the panels inside collapsed rows. */
  static List<JsonNode> panels(JsonNode root) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode p : root.path("panels")) {
      all.add(p);
      p.path("panels").forEach(all::add);
    }
    return all;
  }

  /** Query variables become the match-all regex, interval variables their default window. */
  static Map<String, String> variableValues(JsonNode dashboard) {
    Map<String, String> values = new HashMap<>(BUILT_INS);
    for (JsonNode v : dashboard.path("templating").path("list")) {
      String name = v.path("name").asText();
      switch (v.path("type").asText()) {
        case "query" -> values.put(name, ".*");
        case "interval" -> values.put(name, v.path("current").path("value").asText());
        default -> throw new AssertionError("unexpected variable type " + v.path("type"));
      }
    }
    return values;
  }

  static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      String value = values.get(name);
      if (value == null) {
        throw new AssertionError("unknown variable $" + name + " in " + expr);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
