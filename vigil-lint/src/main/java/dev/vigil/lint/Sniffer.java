package dev.vigil.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Recognises monitoring configuration by its shape, not by its name: operators call the file {@code
 * config.yaml} as often as {@code loki.yaml}.
 */
final class Sniffer {
  private static final Pattern INI_ANON = Pattern.compile("(?m)^\\s*\\[auth\\.anonymous]");
  private static final Pattern INI_SECTION = Pattern.compile("(?m)^\\s*\\[[a-z_.]+]\\s*$");
  private static final Pattern ALLOY_BLOCK =
      Pattern.compile(
          "(?m)^\\s*(prometheus|loki|discovery|local|otelcol|logging)\\.[a-z_.]+\\s+\"[^\"]*\"\\s*\\{");

  private Sniffer() {}

  /**
   * The documents of a config file, as snakeyaml's {@code Load} with the JSON schema builds them.
   */
  private static Iterable<Object> documents(String key, String text, boolean fast) {
    if (fast) {
      try {
        List<Object> docs = new ArrayList<>();
        for (FastYaml.Doc d : FastYaml.parsePlain(text, Sniffer::construct)) {
          docs.add(d.root());
        }
        return docs;
      } catch (FastYaml.Unsupported e) {
        // Beyond the subset: the full parser below.
      }
    }
    // Bounded before the composer, which recurses once per nesting level and expands aliases.
    Loader.LIMITS.check(key, text);
    return new Load(
            LoadSettings.builder().setLabel(key).setCodePointLimit(Integer.MAX_VALUE).build())
        .loadAllFromString(text);
  }

  /** The JSON schema's constructors: Integer, Long or BigInteger; Double; Boolean; null. */
  private static Object construct(String v, boolean plain) {
    Tag tag = JsonTags.resolve(v, plain);
    if (tag.equals(Tag.STR)) {
      return v;
    }
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      return Boolean.valueOf(v);
    }
    if (tag.equals(Tag.INT)) {
      try {
        return Integer.valueOf(v);
      } catch (NumberFormatException e) {
        try {
          return Long.valueOf(v);
        } catch (NumberFormatException e2) {
          return new java.math.BigInteger(v);
        }
      }
    }
    if (tag.equals(Tag.FLOAT)) {
      switch (v) {
        case ".inf":
          return Double.POSITIVE_INFINITY;
        case "-.inf":
          return Double.NEGATIVE_INFINITY;
        case ".nan":
          return Double.NaN;
        default:
          return Double.valueOf(v);
      }
    }
    throw new FastYaml.Unsupported("tag " + tag); // ${ENV} substitution and the like
  }

  /** A problem inside a ConfigMap entry, at the ConfigMap's data line of its file. */
  private static InputError inside(Manifest cm, int line, String what) {
    return new InputError(cm.source(), line, what);
  }

  /** Data keys and file names Prometheus rule files go by. */
  static boolean ruleFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".rules")
        || lower.endsWith(".rules.yaml")
        || lower.endsWith(".rules.yml");
  }

  /**
   * A rule file: a top-level {@code groups} list of {@code {name, rules}}. Grafana's alerting
   * provisioning files also have {@code groups}, but with an {@code apiVersion} beside them and a
   * {@code folder} in each group.
   */
  static boolean ruleFileShape(Map<String, Object> root) {
    if (!(root.get("groups") instanceof List<?> groups)
        || groups.isEmpty()
        || root.containsKey("apiVersion")) {
      return false;
    }
    for (Object g : groups) {
      if (!(g instanceof Map<?, ?> group)
          || !group.containsKey("rules")
          || group.containsKey("folder")) {
        return false;
      }
    }
    return true;
  }

  static ConfigDoc.Type sniffYaml(Map<String, Object> root, String name) {
    if (ruleFileShape(root) || ruleFileName(name) && root.containsKey("groups")) {
      return ConfigDoc.Type.PROMETHEUS_RULES;
    }
    boolean scrape = root.containsKey("scrape_configs");
    if (scrape && (root.containsKey("clients") || root.containsKey("positions"))) {
      return ConfigDoc.Type.PROMTAIL;
    }
    if (root.containsKey("route")
        || root.containsKey("receivers") && root.containsKey("inhibit_rules")) {
      return ConfigDoc.Type.ALERTMANAGER;
    }
    // Grafana Tempo's configuration shares compactor, ingester and server with Loki's, but stores
    // traces (storage.trace) and receives spans (distributor.receivers): no Loki rule applies.
    if (YamlValues.has(YamlValues.get(root, "storage"), "trace")
        || YamlValues.has(YamlValues.get(root, "distributor"), "receivers")) {
      return null;
    }
    if (root.containsKey("schema_config")
        || root.containsKey("limits_config")
        || root.containsKey("ingester")
        || root.containsKey("compactor")
        || root.containsKey("common") && root.containsKey("server")) {
      return ConfigDoc.Type.LOKI;
    }
    if (scrape
        || root.containsKey("rule_files")
        || root.containsKey("alerting") && root.containsKey("global")
        || YamlValues.has(YamlValues.get(root, "global"), "scrape_interval")
        || YamlValues.has(YamlValues.get(root, "global"), "evaluation_interval")) {
      return ConfigDoc.Type.PROMETHEUS;
    }
    return null;
  }

  /** The component prefixes of {@link #ALLOY_BLOCK}: without one, the expression cannot match. */
  private static final List<String> ALLOY_PREFIXES =
      List.of("prometheus.", "loki.", "discovery.", "local.", "otelcol.", "logging.");

  private static boolean mayHoldAlloyBlock(String text) {
    if (text.indexOf('{') < 0 || text.indexOf('"') < 0) {
      return false;
    }
    for (String p : ALLOY_PREFIXES) {
      if (text.contains(p)) {
        return true;
      }
    }
    return false;
  }

  // The literal checks before each expression answer most entries of a large input without
  // running a line-anchored search over their whole text.
  static ConfigDoc.Type sniffText(String key, String text) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".alloy")
        || lower.endsWith(".river")
        || mayHoldAlloyBlock(text) && ALLOY_BLOCK.matcher(text).find()) {
      return ConfigDoc.Type.ALLOY;
    }
    if (lower.endsWith(".ini") && (lower.contains("grafana") || INI_SECTION.matcher(text).find())
        || text.contains("[auth.anonymous]") && INI_ANON.matcher(text).find()) {
      return ConfigDoc.Type.GRAFANA_INI;
    }
    return null;
  }

  /** Every monitoring configuration held in a ConfigMap's data. */
  static List<ConfigDoc> fromConfigMap(Manifest cm) {
    return fromConfigMap(cm, true, new ArrayList<>());
  }

  /**
   * {@code fast}: manifest-shaped YAML through {@link FastYaml}, as {@code Load} would build it. An
   * entry past a bound, or an entry named {@code .ini}/{@code .alloy} that is not, goes to {@code
   * errors}.
   */
  static List<ConfigDoc> fromConfigMap(Manifest cm, boolean fast, List<InputError> errors) {
    List<ConfigDoc> out = new ArrayList<>();
    Map<String, Object> data = YamlValues.map(cm.root(), "data");
    int line = cm.lineOf(data);
    for (Map.Entry<String, Object> e : data.entrySet()) {
      if (!(e.getValue() instanceof String text) || text.isBlank()) {
        continue;
      }
      String key = e.getKey();
      String where = cm.ref() + " data." + key;
      ConfigDoc.Type t = sniffText(key, text);
      if (t != null) {
        String lk = key.toLowerCase(Locale.ROOT);
        InputError bad =
            lk.endsWith(".ini")
                ? Syntax.ini(where, text)
                : lk.endsWith(".alloy") || lk.endsWith(".river") ? Syntax.alloy(where, text) : null;
        if (bad != null) {
          errors.add(inside(cm, line, bad.toString()));
          continue;
        }
        out.add(new ConfigDoc(t, text, null, cm, key, cm.source(), line));
        continue;
      }
      String lk = key.toLowerCase(Locale.ROOT);
      boolean rules = ruleFileName(key);
      if (!(lk.endsWith(".yaml") || lk.endsWith(".yml") || lk.endsWith(".json") || rules)) {
        continue;
      }
      try {
        for (Object doc : documents(key, text, fast)) {
          if (doc instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) m;
            ConfigDoc.Type yt = sniffYaml(root, key);
            if (yt == null && rules) {
              yt = ConfigDoc.Type.PROMETHEUS_RULES; // named a rule file: its shape is checked
            }
            if (yt != null) {
              out.add(new ConfigDoc(yt, text, root, cm, key, cm.source(), line));
            }
          } else if (rules && doc != null) {
            // A list or a scalar where the groups mapping belongs: reported, not skipped.
            out.add(
                new ConfigDoc(
                    ConfigDoc.Type.PROMETHEUS_RULES, text, Map.of(), cm, key, cm.source(), line));
          }
        }
      } catch (dev.vigil.base.input.InputException bound) {
        String at = bound.where().startsWith(key) ? bound.where().substring(key.length()) : "";
        errors.add(inside(cm, line, where + at + ": " + bound.reason()));
      } catch (RuntimeException notYaml) {
        if (rules) {
          // Prometheus refuses the whole file; rule-file-syntax says why.
          out.add(
              new ConfigDoc(
                  ConfigDoc.Type.PROMETHEUS_RULES, text, null, cm, key, cm.source(), line));
        }
      }
    }
    return out;
  }
}
