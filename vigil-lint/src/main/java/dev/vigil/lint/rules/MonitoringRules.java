package dev.vigil.lint.rules;

import static dev.vigil.lint.Severity.ERROR;
import static dev.vigil.lint.Severity.WARNING;

import dev.vigil.lint.ConfigDoc;
import dev.vigil.lint.ConfigDoc.Type;
import dev.vigil.lint.Context;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules on the monitoring components' own configuration. */
final class MonitoringRules {
  private MonitoringRules() {}

  static final long MIN_SCRAPE_MS = 15_000;
  static final List<String> LOKI_QUERY_LIMITS =
      List.of("max_query_length", "max_query_series", "max_entries_limit_per_query");
  static final Set<String> HIGH_CARDINALITY_LABELS =
      Set.of(
          "uid",
          "pod_uid",
          "poduid",
          "request_id",
          "requestid",
          "req_id",
          "x_request_id",
          "trace_id",
          "traceid",
          "span_id",
          "spanid",
          "ip",
          "pod_ip",
          "podip",
          "host_ip",
          "client_ip",
          "clientip",
          "remote_addr",
          "remote_ip",
          "src_ip",
          "source_ip",
          "dst_ip",
          "timestamp",
          "ts",
          "time",
          "datetime",
          "session_id",
          "user_id");
  static final Set<String> HIGH_CARDINALITY_SOURCES =
      Set.of(
          "__meta_kubernetes_pod_uid",
          "__meta_kubernetes_pod_ip",
          "__meta_kubernetes_pod_host_ip",
          "__meta_kubernetes_endpoint_address_target_name",
          "__meta_docker_container_id");
  static final Set<String> ALERTMANAGER_SECRET_KEYS =
      Set.of(
          "smtp_auth_password",
          "smtp_auth_secret",
          "auth_password",
          "auth_secret",
          "password",
          "bearer_token",
          "credentials",
          "api_key",
          "api_secret",
          "routing_key",
          "service_key",
          "bot_token",
          "token",
          "user_key",
          "opsgenie_api_key",
          "victorops_api_key",
          "wechat_api_secret",
          "slack_api_url",
          "webhook_url",
          "client_secret");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
  private static final Pattern ALLOY_SCRAPE_INTERVAL =
      Pattern.compile("(?m)^\\s*scrape_interval\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern ALLOY_TARGET_LABEL =
      Pattern.compile("target_label\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern ALLOY_SOURCE_LABELS =
      Pattern.compile("source_labels\\s*=\\s*\\[([^\\]]*)]");
  private static final Pattern ALLOY_STAGE_LABELS =
      Pattern.compile("stage\\.labels\\s*\\{\\s*values\\s*=\\s*\\{([^}]*)}");
  private static final Pattern ALLOY_RULE = Pattern.compile("rule\\s*\\{([^{}]*)}");

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    r.add(
        new Rule(
            "prometheus-retention",
            WARNING,
            LintProfile.VIGIL,
            "monitoring",
            "Prometheus retention time and size are set",
            "Every Prometheus server sets both --storage.tsdb.retention.time and"
                + " --storage.tsdb.retention.size (for the Prometheus operator: spec.retention and"
                + " spec.retentionSize). Time alone lets a cardinality spike fill the volume; size"
                + " alone keeps data for an unknown time.",
            "Add --storage.tsdb.retention.time=15d and --storage.tsdb.retention.size=<80% of the volume>.") {
          @Override
          public void check(Context ctx) {
            prometheusRetention(ctx);
          }
        });
    r.add(
        new Rule(
            "scrape-interval",
            WARNING,
            LintProfile.VIGIL,
            "monitoring",
            "Scrape intervals are 15 s or more",
            "Prometheus and Alloy scrape intervals (global, per job, ServiceMonitor/PodMonitor"
                + " endpoints, Prometheus operator spec.scrapeInterval) are at least 15s. Shorter"
                + " intervals multiply samples, storage and load for no operational gain.",
            "Raise scrape_interval to 15s or more (30s is the stack default).") {
          @Override
          public void check(Context ctx) {
            scrapeInterval(ctx);
          }
        });
    r.add(
        new ConfigRule(
            "loki-retention",
            WARNING,
            "Loki retention is set and enforced",
            "Loki's limits_config.retention_period is set to a non-zero duration and"
                + " compactor.retention_enabled is true; without both, logs are kept forever and the"
                + " volume fills.",
            "Set limits_config.retention_period (e.g. 744h) and compactor.retention_enabled: true.",
            Set.of(Type.LOKI),
            MonitoringRules::lokiRetention));
    r.add(
        new ConfigRule(
            "loki-query-limits",
            WARNING,
            "Loki query limits are set",
            "Loki's limits_config sets "
                + String.join(", ", LOKI_QUERY_LIMITS)
                + " explicitly, so"
                + " one dashboard query cannot exhaust the querier's memory.",
            "Add the missing keys to limits_config (e.g. max_query_length: 721h,"
                + " max_query_series: 500, max_entries_limit_per_query: 5000).",
            Set.of(Type.LOKI),
            MonitoringRules::lokiQueryLimits));
    r.add(
        new ConfigRule(
            "log-label-cardinality",
            WARNING,
            "Log agents do not create high-cardinality labels",
            "Promtail and Alloy pipelines must not turn per-request or per-pod-instance values"
                + " (pod uid, request or trace ids, IP addresses, timestamps) into Loki labels: every"
                + " distinct value creates a stream, and Loki degrades with stream count. Keep such"
                + " values in the log line or structured metadata.",
            "Drop the label, or use structured metadata (stage.structured_metadata) instead.",
            Set.of(Type.PROMTAIL, Type.ALLOY),
            MonitoringRules::logLabels));
    r.add(
        new Rule(
            "grafana-anonymous-admin",
            ERROR,
            LintProfile.VIGIL,
            "monitoring",
            "Grafana does not give anonymous users Admin",
            "Anonymous access ([auth.anonymous] enabled, or GF_AUTH_ANONYMOUS_ENABLED) with"
                + " org_role Admin gives everyone who can reach Grafana full control, including data"
                + " sources and their credentials.",
            "Set [auth.anonymous] org_role = Viewer, or disable anonymous access.") {
          @Override
          public void check(Context ctx) {
            grafanaAnonymous(ctx);
          }
        });
    r.add(
        new ConfigRule(
            "alertmanager-inline-secret",
            ERROR,
            "Alertmanager receivers reference secrets by file",
            "Alertmanager receivers and global settings must not hold credentials inline"
                + " (smtp_auth_password, api_key, routing_key, Slack webhook URLs, bearer tokens, ...);"
                + " use the *_file variants pointing at a mounted Secret.",
            "Use the *_file form (e.g. smtp_auth_password_file, api_url_file) with a Secret volume.",
            Set.of(Type.ALERTMANAGER),
            MonitoringRules::alertmanagerSecrets));
    return r;
  }

  /** Milliseconds of a Prometheus duration, or -1 when it is not one. */
  static long durationMs(String s) {
    if (s == null || s.isBlank()) {
      return -1;
    }
    Matcher m = DURATION.matcher(s.trim());
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return -1;
      }
      long n = Long.parseLong(m.group(1));
      total +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            case "w" -> n * 604_800_000;
            default -> n * 31_536_000_000L;
          };
      end = m.end();
    }
    return end == s.trim().length() && end > 0 ? total : -1;
  }

  static boolean isAlertmanager(Context ctx, Manifest m, String key) {
    return ctx.holdsAlertmanager(m, key);
  }

  // ---- Prometheus ---------------------------------------------------------------------------

  private static boolean hasFlag(List<String> args, String flag) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i).replaceFirst("^-+", "--");
      if (a.startsWith(flag + "=") && a.length() > flag.length() + 1) {
        return true;
      }
      if (a.equals(flag) && i + 1 < args.size()) {
        return true;
      }
    }
    return false;
  }

  private static void prometheusRetention(Context ctx) {
    for (PodSpec p : ctx.pods()) {
      for (PodSpec.Container c : p.longRunning()) {
        if (!ImageReference.of(ctx, c.image()).shortName().equals("prometheus")) {
          continue;
        }
        List<String> args = new ArrayList<>();
        YamlValues.list(c.body(), "command").forEach(a -> args.add(String.valueOf(a)));
        YamlValues.list(c.body(), "args").forEach(a -> args.add(String.valueOf(a)));
        List<String> missing = new ArrayList<>();
        if (!hasFlag(args, "--storage.tsdb.retention.time")
            && !hasFlag(args, "--storage.tsdb.retention")) {
          missing.add("--storage.tsdb.retention.time");
        }
        if (!hasFlag(args, "--storage.tsdb.retention.size")) {
          missing.add("--storage.tsdb.retention.size");
        }
        if (!missing.isEmpty()) {
          ctx.report(
              p.owner(),
              c.body(),
              c.describe() + " runs Prometheus without " + String.join(" and ", missing));
        }
      }
    }
    for (Manifest m : ctx.ofKind("Prometheus")) {
      if (!m.apiVersion().startsWith("monitoring.coreos.com/")) {
        continue;
      }
      Map<String, Object> spec = YamlValues.map(m.root(), "spec");
      List<String> missing = new ArrayList<>();
      for (String k : List.of("retention", "retentionSize")) {
        if (YamlValues.str(spec, k) == null || YamlValues.str(spec, k).isBlank()) {
          missing.add("spec." + k);
        }
      }
      if (!missing.isEmpty()) {
        ctx.report(m, spec, "Prometheus resource without " + String.join(" and ", missing));
      }
    }
  }

  private static void tooShort(Context ctx, Manifest m, Object node, String what, String value) {
    long ms = durationMs(value);
    if (ms >= 0 && ms < MIN_SCRAPE_MS) {
      ctx.report(m, node, what + " is " + value + ", below 15s");
    }
  }

  private static void scrapeInterval(Context ctx) {
    for (ConfigDoc c : ctx.configs()) {
      if (c.type() == Type.PROMETHEUS) {
        String g = YamlValues.str(YamlValues.map(c.parsed(), "global"), "scrape_interval");
        if (g != null && durationMs(g) >= 0 && durationMs(g) < MIN_SCRAPE_MS) {
          ctx.report(c, "global.scrape_interval is " + g + ", below 15s");
        }
        for (Object job : YamlValues.list(c.parsed(), "scrape_configs")) {
          String i = YamlValues.str(job, "scrape_interval");
          if (i != null && durationMs(i) >= 0 && durationMs(i) < MIN_SCRAPE_MS) {
            ctx.report(
                c,
                "job "
                    + YamlValues.str(job, "job_name")
                    + " scrape_interval is "
                    + i
                    + ", below 15s");
          }
        }
      } else if (c.type() == Type.ALLOY) {
        Matcher m = ALLOY_SCRAPE_INTERVAL.matcher(c.text());
        while (m.find()) {
          long ms = durationMs(m.group(1));
          if (ms >= 0 && ms < MIN_SCRAPE_MS) {
            ctx.report(c, "scrape_interval = \"" + m.group(1) + "\" is below 15s");
          }
        }
      }
    }
    for (Manifest m : ctx.ofKind("ServiceMonitor")) {
      for (Object ep : YamlValues.list(YamlValues.map(m.root(), "spec"), "endpoints")) {
        tooShort(ctx, m, ep, "endpoint interval", YamlValues.str(ep, "interval"));
      }
    }
    for (Manifest m : ctx.ofKind("PodMonitor")) {
      for (Object ep : YamlValues.list(YamlValues.map(m.root(), "spec"), "podMetricsEndpoints")) {
        tooShort(ctx, m, ep, "podMetricsEndpoint interval", YamlValues.str(ep, "interval"));
      }
    }
    for (Manifest m : ctx.ofKind("Prometheus")) {
      tooShort(
          ctx,
          m,
          YamlValues.map(m.root(), "spec"),
          "spec.scrapeInterval",
          YamlValues.str(YamlValues.map(m.root(), "spec"), "scrapeInterval"));
    }
  }

  // ---- Loki ---------------------------------------------------------------------------------

  private static void lokiRetention(ConfigDoc c, Context ctx) {
    String period = YamlValues.str(YamlValues.map(c.parsed(), "limits_config"), "retention_period");
    if (period == null || durationMs(period) <= 0) {
      ctx.report(c, "limits_config.retention_period is " + (period == null ? "not set" : period));
    }
    if (!YamlValues.isTrue(YamlValues.map(c.parsed(), "compactor"), "retention_enabled")) {
      ctx.report(c, "compactor.retention_enabled is not true, so retention is never applied");
    }
  }

  private static void lokiQueryLimits(ConfigDoc c, Context ctx) {
    Map<String, Object> limits = YamlValues.map(c.parsed(), "limits_config");
    List<String> missing =
        LOKI_QUERY_LIMITS.stream().filter(k -> YamlValues.str(limits, k) == null).toList();
    if (!missing.isEmpty()) {
      ctx.report(c, "limits_config does not set " + String.join(", ", missing));
    }
  }

  // ---- log agents ---------------------------------------------------------------------------

  private static boolean highCardinality(String label) {
    String l = label.toLowerCase(Locale.ROOT).replace('-', '_');
    return !l.startsWith("__") && HIGH_CARDINALITY_LABELS.contains(l);
  }

  private static void logLabels(ConfigDoc c, Context ctx) {
    if (c.type() == Type.PROMTAIL) {
      for (Object job : YamlValues.list(c.parsed(), "scrape_configs")) {
        for (Object rc : YamlValues.list(job, "relabel_configs")) {
          relabel(
              c,
              ctx,
              YamlValues.str(rc, "target_label"),
              YamlValues.list(rc, "source_labels").stream().map(String::valueOf).toList(),
              YamlValues.str(rc, "action"));
        }
        for (Object stage : YamlValues.list(job, "pipeline_stages")) {
          for (String l : YamlValues.map(stage, "labels").keySet()) {
            if (highCardinality(l)) {
              ctx.report(c, "pipeline stage promotes '" + l + "' to a label");
            }
          }
        }
      }
      return;
    }
    String text = c.text();
    Matcher rule = ALLOY_RULE.matcher(text);
    while (rule.find()) {
      String body = rule.group(1);
      Matcher t = ALLOY_TARGET_LABEL.matcher(body);
      Matcher s = ALLOY_SOURCE_LABELS.matcher(body);
      List<String> sources = new ArrayList<>();
      if (s.find()) {
        for (String part : s.group(1).split(",")) {
          String v = part.trim().replace("\"", "");
          if (!v.isEmpty()) {
            sources.add(v);
          }
        }
      }
      Matcher a = Pattern.compile("action\\s*=\\s*\"([^\"]*)\"").matcher(body);
      relabel(c, ctx, t.find() ? t.group(1) : null, sources, a.find() ? a.group(1) : null);
    }
    Matcher st = ALLOY_STAGE_LABELS.matcher(text);
    while (st.find()) {
      for (String entry : st.group(1).split("[,\\n]")) {
        int eq = entry.indexOf('=');
        String l = (eq < 0 ? entry : entry.substring(0, eq)).trim().replace("\"", "");
        if (!l.isEmpty() && highCardinality(l)) {
          ctx.report(c, "stage.labels promotes '" + l + "' to a label");
        }
      }
    }
  }

  private static void relabel(
      ConfigDoc c, Context ctx, String target, List<String> sources, String action) {
    if (action != null && !action.equals("replace")) {
      return;
    }
    if (target == null || target.startsWith("__")) {
      return;
    }
    if (highCardinality(target)) {
      ctx.report(c, "relabeling writes high-cardinality label '" + target + "'");
      return;
    }
    for (String s : sources) {
      if (HIGH_CARDINALITY_SOURCES.contains(s)) {
        ctx.report(c, "relabeling copies " + s + " into label '" + target + "'");
        return;
      }
    }
  }

  // ---- Grafana ------------------------------------------------------------------------------

  /** Parses an INI file into section → key → value (section "" for keys before any header). */
  static Map<String, Map<String, String>> ini(String text) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    String section = "";
    for (String raw : text.split("\\R")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).trim().toLowerCase(Locale.ROOT);
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0) {
        String v = line.substring(eq + 1).trim();
        if (v.length() >= 2
            && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        out.computeIfAbsent(section, k -> new LinkedHashMap<>())
            .put(line.substring(0, eq).trim().toLowerCase(Locale.ROOT), v);
      }
    }
    return out;
  }

  private static void grafanaAnonymous(Context ctx) {
    for (ConfigDoc c : ctx.configs()) {
      if (c.type() != Type.GRAFANA_INI) {
        continue;
      }
      Map<String, String> anon = ini(c.text()).getOrDefault("auth.anonymous", Map.of());
      if ("true".equalsIgnoreCase(anon.get("enabled"))
          && "admin".equalsIgnoreCase(anon.get("org_role"))) {
        ctx.report(c, "[auth.anonymous] enabled with org_role = Admin");
      }
    }
    for (PodSpec p : ctx.pods()) {
      for (PodSpec.Container c : p.longRunning()) {
        // The last entry of a name wins, as in the container.
        String enabled = null;
        String role = null;
        for (Object e : YamlValues.list(c.body(), "env")) {
          String v = YamlValues.str(e, "value");
          if (v != null) {
            String name = String.valueOf(YamlValues.str(e, "name"));
            if (name.equals("GF_AUTH_ANONYMOUS_ENABLED")) {
              enabled = v;
            } else if (name.equals("GF_AUTH_ANONYMOUS_ORG_ROLE")) {
              role = v;
            }
          }
        }
        if (anonymousAdmin(enabled, role)) {
          ctx.report(
              p.owner(),
              c.body(),
              c.describe() + " enables anonymous Grafana access with the Admin role");
        }
      }
    }
    for (Manifest m : ctx.ofKind("ConfigMap")) {
      Map<String, Object> data = YamlValues.map(m.root(), "data");
      if (data.containsKey("GF_AUTH_ANONYMOUS_ENABLED")
          && data.containsKey("GF_AUTH_ANONYMOUS_ORG_ROLE")
          && anonymousAdmin(
              String.valueOf(data.get("GF_AUTH_ANONYMOUS_ENABLED")),
              String.valueOf(data.get("GF_AUTH_ANONYMOUS_ORG_ROLE")))) {
        ctx.report(
            m,
            YamlValues.map(m.root(), "data"),
            "GF_AUTH_ANONYMOUS_ENABLED=true with GF_AUTH_ANONYMOUS_ORG_ROLE=Admin");
      }
    }
  }

  private static boolean anonymousAdmin(String enabled, String role) {
    return "true".equalsIgnoreCase(enabled) && "admin".equalsIgnoreCase(role);
  }

  // ---- Alertmanager -------------------------------------------------------------------------

  private static void alertmanagerSecrets(ConfigDoc c, Context ctx) {
    walk(c, ctx, c.parsed(), "");
  }

  private static void walk(ConfigDoc c, Context ctx, Object node, String path) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        String p = path.isEmpty() ? k : path + "." + k;
        Object v = e.getValue();
        if (v instanceof String s && !PracticeRules.placeholder(s)) {
          boolean secretKey = ALERTMANAGER_SECRET_KEYS.contains(k);
          boolean slackUrl = k.equals("api_url") && s.contains("hooks.slack.com");
          boolean userInUrl = k.equals("url") && s.matches("^[a-z]+://[^/@\\s]+:[^/@\\s]+@.*");
          if (secretKey || slackUrl || userInUrl) {
            ctx.report(c, p + " holds a credential inline");
          }
        } else {
          walk(c, ctx, v, p);
        }
      }
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walk(c, ctx, l.get(i), path + "[" + i + "]");
      }
    }
  }
}
