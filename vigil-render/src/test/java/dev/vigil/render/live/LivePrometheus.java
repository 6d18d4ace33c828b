package dev.vigil.render.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.Yaml;
import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Debian's Prometheus on loopback with Vigil's rendered rule files and the test's scrape jobs,
 * scraping and evaluating every second. The rules are the rendered ones with one change, made here
 * and nowhere else: every {@code for:} is shortened to {@link #FOR}, so an alert whose condition
 * holds fires within seconds instead of minutes. The conditions, labels and annotations are the
 * rendered ones; the durations are covered by each rule file's promtool tests.
 */
public final class LivePrometheus implements Closeable {
  public static final String FOR = "5s";
  private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for: \\S+$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveProcess process;

  private LivePrometheus(LiveProcess process) {
    this.process = process;
  }

  /**
   * @param ruleFiles rendered rule files by name
   * @param scrapeJobs prometheus.yml scrape configs
   */
  public static LivePrometheus start(
      Path dir, Map<String, String> ruleFiles, List<Map<String, Object>> scrapeJobs)
      throws IOException {
    Path bin = Tools.require("prometheus", "prometheus");
    Path rules = Files.createDirectories(dir.resolve("rules"));
    for (Map.Entry<String, String> f : ruleFiles.entrySet()) {
      Files.writeString(
          rules.resolve(f.getKey()), FOR_LINE.matcher(f.getValue()).replaceAll("$1for: " + FOR));
    }
    int port = LiveProcess.freePort();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(
        "global",
        Map.of("scrape_interval", "1s", "evaluation_interval", "1s", "scrape_timeout", "1s"));
    config.put("rule_files", List.of(rules + "/*.yaml"));
    config.put("scrape_configs", scrapeJobs);
    Files.writeString(dir.resolve("prometheus.yml"), Yaml.write(config));
    // An empty TSDB replays nothing; 60 s covers a loaded 2-core machine.
    LiveProcess p =
        LiveProcess.http(
            "prometheus",
            dir,
            port,
            "/-/ready",
            Duration.ofSeconds(60),
            Map.of(),
            List.of(
                bin.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + port));
    return new LivePrometheus(p);
  }

  /** A static scrape job with fixed labels on its one target. */
  public static Map<String, Object> staticJob(
      String job, String target, Map<String, String> labels) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("job_name", job);
    j.put("static_configs", List.of(Map.of("targets", List.of(target), "labels", labels)));
    return j;
  }

  public List<JsonNode> query(String promql) throws Exception {
    JsonNode body = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<JsonNode> out = new ArrayList<>();
    body.path("data").path("result").forEach(out::add);
    return out;
  }

  public JsonNode api(String pathAndQuery) throws Exception {
    var r = process.get(pathAndQuery);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText())
        .as("%s -> %s", pathAndQuery, r.body())
        .isEqualTo("success");
    return body;
  }

  /** Firing instances of an alert, by their labels. */
  public List<Map<String, String>> firing(String alertname) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode s : query("ALERTS{alertname=\"" + alertname + "\", alertstate=\"firing\"}")) {
      out.add(labels(s));
    }
    return out;
  }

  /** Waits until the alert fires with labels including {@code expected}; returns its labels. */
  public Map<String, String> awaitFiring(
      String alertname, Map<String, String> expected, Duration within) {
    try {
      return Awaitility.await(alertname + " firing with " + expected)
          .atMost(within)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  firing(alertname).stream()
                      .filter(l -> l.entrySet().containsAll(expected.entrySet()))
                      .findFirst()
                      .orElse(null),
              l -> l != null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String state;
      try {
        state =
            "ALERTS: "
                + query("ALERTS")
                + "\nup: "
                + query("up")
                + "\nrule "
                + alertname
                + ": "
                + rule(alertname);
      } catch (Exception x) {
        state = "(Prometheus did not answer: " + x + ")";
      }
      throw new AssertionError(e.getMessage() + "\n" + state, e);
    }
  }

  private List<JsonNode> rule(String alertname) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode g : api("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.path("name").asText().equals(alertname)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Waits until every target of a job has been scraped successfully at least once. */
  public void awaitUp(String job, int targets, Duration within) {
    Awaitility.await(job + " up")
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> query("up{job=\"" + job + "\"} == 1").size() == targets);
  }

  /** Every rule's health, for "no rule errs on real data". */
  public Map<String, String> ruleErrors() throws Exception {
    Map<String, String> errors = new TreeMap<>();
    for (JsonNode g : api("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.path("health").asText().equals("err")) {
          errors.put(r.path("name").asText(), r.path("lastError").asText());
        }
      }
    }
    return errors;
  }

  public static Map<String, String> labels(JsonNode series) {
    Map<String, String> out = new TreeMap<>();
    series.path("metric").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public static double value(JsonNode series) {
    return Double.parseDouble(series.path("value").get(1).asText());
  }

  public String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
