package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.http.prometheus.PrometheusClient.PrometheusException;
import dev.vigil.http.prometheus.PrometheusClient.Sample;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prometheus as the checklists ask: every expected scrape job has all its targets up, every rule
 * group of every rendered rule file is loaded and evaluates without error, the TSDB is not running
 * out of space, alerts reach Alertmanager.
 */
public final class PrometheusStackChecks {
  static final String TARGET = "prometheus";

  private PrometheusStackChecks() {}

  public static List<Check> run(PrometheusClient prom, Expectations ex) {
    List<Check> out = new ArrayList<>();
    try {
      if (!prom.ready()) {
        out.add(
            new Check(
                TARGET,
                "ready",
                Verdict.FAIL,
                "not ready",
                "/-/ready 200",
                "Prometheus is starting or replaying its WAL"));
        return out;
      }
      out.add(new Check(TARGET, "ready", Verdict.PASS, "ready", "", ""));
    } catch (PrometheusException e) {
      out.add(new Check(TARGET, "ready", Verdict.UNKNOWN, "", "", e.getMessage()));
      return out;
    }
    out.addAll(guard("scrape jobs", () -> targets(prom, ex)));
    out.addAll(guard("rules", () -> rules(prom, ex)));
    out.addAll(guard("tsdb", () -> tsdb(prom)));
    if (ex.enabled("alertmanager")) {
      out.addAll(guard("alert delivery", () -> delivery(prom)));
    }
    return out;
  }

  interface Part {
    List<Check> run() throws PrometheusException;
  }

  private static List<Check> guard(String what, Part p) {
    try {
      return p.run();
    } catch (PrometheusException e) {
      return List.of(new Check(TARGET, what, Verdict.UNKNOWN, "", "", e.getMessage()));
    }
  }

  static List<Check> targets(PrometheusClient prom, Expectations ex) throws PrometheusException {
    JsonNode data = prom.get("/api/v1/targets?state=active");
    Map<String, List<JsonNode>> byPool = new LinkedHashMap<>();
    for (JsonNode t : data.path("activeTargets")) {
      String pool = t.path("scrapePool").asText(t.path("labels").path("job").asText());
      byPool.computeIfAbsent(pool, k -> new ArrayList<>()).add(t);
    }
    List<Check> out = new ArrayList<>();
    for (Expectations.Job job : ex.scrapeJobs()) {
      String check = "scrape job " + job.name();
      List<JsonNode> targets = byPool.getOrDefault(job.name(), List.of());
      if (targets.isEmpty()) {
        out.add(
            new Check(
                TARGET,
                check,
                job.optIn() ? Verdict.PASS : Verdict.FAIL,
                "0 targets",
                job.optIn() ? "any (opt-in)" : "all up",
                job.optIn()
                    ? "scrapes only Services annotated prometheus.io/scrape; none is"
                    : "no active target: the job is not in Prometheus' configuration, or discovery found nothing",
                0.0));
        continue;
      }
      List<String> down = new ArrayList<>();
      int up = 0;
      for (JsonNode t : targets) {
        if ("up".equals(t.path("health").asText())) {
          up++;
        } else {
          String instance = t.path("labels").path("instance").asText(t.path("scrapeUrl").asText());
          String err = t.path("lastError").asText();
          down.add(
              instance + " " + t.path("health").asText() + (err.isEmpty() ? "" : " (" + err + ")"));
        }
      }
      boolean all = down.isEmpty();
      out.add(
          new Check(
              TARGET,
              check,
              all ? Verdict.PASS : Verdict.FAIL,
              up + "/" + targets.size() + " up",
              "all up",
              all ? "" : "down: " + String.join("; ", down),
              (double) up));
    }
    return out;
  }

  static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  static List<Check> rules(PrometheusClient prom, Expectations ex) throws PrometheusException {
    JsonNode data = prom.get("/api/v1/rules");
    Map<String, JsonNode> loaded = new LinkedHashMap<>();
    for (JsonNode g : data.path("groups")) {
      loaded.put(baseName(g.path("file").asText()) + "\u0000" + g.path("name").asText(), g);
    }
    List<Check> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> file : ex.ruleGroups().entrySet()) {
      List<String> missing = new ArrayList<>();
      List<String> failing = new ArrayList<>();
      int rules = 0;
      for (String group : file.getValue()) {
        JsonNode g = loaded.get(file.getKey() + "\u0000" + group);
        if (g == null) {
          missing.add(group);
          continue;
        }
        for (JsonNode r : g.path("rules")) {
          rules++;
          if ("err".equals(r.path("health").asText())) {
            failing.add(r.path("name").asText() + ": " + r.path("lastError").asText());
          }
        }
      }
      String check = "rule file " + file.getKey();
      int groups = file.getValue().size();
      if (!missing.isEmpty()) {
        out.add(
            new Check(
                TARGET,
                check,
                Verdict.FAIL,
                (groups - missing.size()) + "/" + groups + " groups loaded",
                "all loaded",
                "not loaded: "
                    + String.join(", ", missing)
                    + " (is the rules ConfigMap mounted and the configuration reloaded?)"));
      } else if (!failing.isEmpty()) {
        out.add(
            new Check(
                TARGET,
                check,
                Verdict.FAIL,
                failing.size() + " of " + rules + " rules failing",
                "no evaluation error",
                String.join("; ", failing),
                (double) failing.size()));
      } else {
        out.add(
            new Check(
                TARGET,
                check,
                Verdict.PASS,
                groups + " groups, " + rules + " rules",
                "no evaluation error",
                "",
                0.0));
      }
    }
    return out;
  }

  private static double sum(List<Sample> s) {
    return s.stream().mapToDouble(Sample::value).sum();
  }

  static List<Check> tsdb(PrometheusClient prom) throws PrometheusException {
    List<Check> out = new ArrayList<>();
    double walFailed = sum(prom.vector("increase(prometheus_tsdb_wal_writes_failed_total[1h])"));
    double compactionsFailed =
        sum(prom.vector("increase(prometheus_tsdb_compactions_failed_total[6h])"));
    boolean writing = walFailed < 0.5 && compactionsFailed < 0.5;
    out.add(
        new Check(
            TARGET,
            "tsdb writes",
            writing ? Verdict.PASS : Verdict.FAIL,
            String.format(
                Locale.ROOT,
                "%.0f failed WAL writes (1h), %.0f failed compactions (6h)",
                walFailed,
                compactionsFailed),
            "0",
            writing ? "" : "the volume is full or failing: a full TSDB stops ingesting"));
    List<Sample> available =
        prom.vector(
            "kubelet_volume_stats_available_bytes{persistentvolumeclaim=~\"data-prometheus-.*\"}"
                + " / kubelet_volume_stats_capacity_bytes{persistentvolumeclaim=~\"data-prometheus-.*\"}");
    if (available.isEmpty()) {
      out.add(
          new Check(
              TARGET,
              "tsdb volume",
              Verdict.UNKNOWN,
              "no data",
              "> 15% free",
              "no kubelet_volume_stats series for the Prometheus claims (the kubelet job reports them)"));
    }
    for (Sample s : available) {
      double free = s.value();
      Verdict v = free < 0.05 ? Verdict.FAIL : free < 0.15 ? Verdict.WARN : Verdict.PASS;
      out.add(
          new Check(
              TARGET,
              "tsdb volume " + s.label("persistentvolumeclaim"),
              v,
              String.format(Locale.ROOT, "%.1f%% free", free * 100),
              "> 15% free (fail below 5%)",
              v == Verdict.PASS ? "" : "grow the volume or lower retention.size",
              free));
    }
    List<Sample> limit = prom.vector("prometheus_tsdb_retention_limit_bytes");
    List<Sample> used =
        prom.vector(
            "prometheus_tsdb_storage_blocks_bytes + on(instance) prometheus_tsdb_wal_storage_size_bytes");
    if (!limit.isEmpty() && sum(limit) > 0 && !used.isEmpty()) {
      double ratio = sum(used) / sum(limit);
      out.add(
          new Check(
              TARGET,
              "tsdb retention size",
              ratio > 1.0 ? Verdict.WARN : Verdict.PASS,
              String.format(Locale.ROOT, "%.0f%% of the size limit", ratio * 100),
              "<= 100%",
              ratio > 1.0 ? "blocks exceed retention.size: retention is not keeping up" : "",
              ratio));
    }
    return out;
  }

  static List<Check> delivery(PrometheusClient prom) throws PrometheusException {
    List<Check> out = new ArrayList<>();
    double discovered = sum(prom.vector("prometheus_notifications_alertmanagers_discovered"));
    out.add(
        new Check(
            TARGET,
            "alertmanagers discovered",
            discovered >= 1 ? Verdict.PASS : Verdict.FAIL,
            String.format(Locale.ROOT, "%.0f", discovered),
            ">= 1",
            discovered >= 1 ? "" : "Prometheus knows no Alertmanager: alerts go nowhere",
            discovered));
    double errors = sum(prom.vector("increase(prometheus_notifications_errors_total[10m])"));
    out.add(
        new Check(
            TARGET,
            "alerts sent",
            errors < 0.5 ? Verdict.PASS : Verdict.FAIL,
            String.format(Locale.ROOT, "%.0f send errors (10m)", errors),
            "0",
            errors < 0.5 ? "" : "Prometheus cannot deliver alerts to Alertmanager",
            errors));
    List<Sample> watchdog = prom.vector("ALERTS{alertname=\"Watchdog\", alertstate=\"firing\"}");
    out.add(
        new Check(
            TARGET,
            "Watchdog firing",
            watchdog.isEmpty() ? Verdict.FAIL : Verdict.PASS,
            watchdog.isEmpty() ? "not firing" : "firing",
            "firing",
            watchdog.isEmpty()
                ? "the always-firing Watchdog alert is not firing: general.rules.yaml is not loaded or not evaluated"
                : ""));
    return out;
  }

  static String join(TreeSet<String> s) {
    return String.join(", ", s);
  }
}
