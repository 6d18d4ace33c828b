package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.kubernetes.ExpectedTargets;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads every shipped rule file into a real Prometheus that scrapes a real node-exporter, itself
 * and a real Alertmanager, all on loopback, and checks what promtool's synthetic series cannot:
 * that the metric names the rules use exist in the real exporters, that every rule evaluates
 * without error on real data, that the dashboard recording rules produce sane values, and that
 * alerts travel to Alertmanager.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesOnRealPrometheusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "vigil-test";

  /** Rule files whose every metric the three real daemons here produce. */
  private static final List<String> LIVE_COMPONENTS =
      List.of("general", "node-exporter", "prometheus", "alertmanager");

  /**
   * Metrics the rules of the live components select that no daemon here can expose, and why. Each
   * is in a contract with its upstream source (ContractGuardsTest checks that).
   */
  private static final Map<String, String> NOT_HERE =
      Map.of(
          "node_md_disks", "only on hosts with a Linux software RAID array (/proc/mdstat)",
          "node_md_disks_required", "only on hosts with a Linux software RAID array (/proc/mdstat)",
          "node_bonding_slaves", "only on hosts with a bonded interface",
          "node_bonding_active", "only on hosts with a bonded interface",
          "node_systemd_unit_state",
              "systemd collector, which needs a systemd host with a system D-Bus; not enabled here",
          "prometheus_sd_kubernetes_failures_total",
              "Debian builds Prometheus without Kubernetes discovery",
          "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
              "set by the first successful send; remote write here only fails",
          "chrony_tracking_stratum",
              "chrony exporter's; read by node-exporter rules to leave chrony's nodes to the time alerts");

  /** A metric name directly followed by a label selector: {@code name{...}}. */
  private static final Pattern SELECTED_METRIC =
      Pattern.compile("(?<![A-Za-z0-9_:])([A-Za-z_][A-Za-z0-9_:]*)\\{");

  @TempDir static Path dir;

  private static LoopbackDaemon nodeExporter;
  private static int nodeExporterPort;
  private static LoopbackDaemon alertmanager;
  private static LoopbackDaemon prometheus;

  @BeforeAll
  static void startStack() throws IOException {
    Path promBin = Tools.require("prometheus", "prometheus");
    Path amBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    Path neBin = Tools.require("prometheus-node-exporter", "prometheus-node-exporter");

    int nePort = LoopbackDaemon.freePort();
    nodeExporterPort = nePort;
    nodeExporter =
        LoopbackDaemon.start(
            "node-exporter",
            dir,
            nePort,
            "/metrics",
            // Debian's build hides lo by default; the upstream image Vigil deploys does not, and
            // the network recording rules must leave it out themselves.
            List.of(
                neBin.toString(),
                "--web.listen-address=127.0.0.1:" + nePort,
                "--collector.netdev.device-exclude=^$"));

    // Notifications go to a loopback port nobody listens on, so the webhook integration exists
    // (and its failure counters with it) without any traffic leaving the host.
    int deadPort = LoopbackDaemon.freePort();
    int amPort = LoopbackDaemon.freePort();
    int meshPort = LoopbackDaemon.freePort();
    Files.writeString(
        dir.resolve("alertmanager.yml"),
        String.join(
            "\n",
            "route:",
            "  receiver: webhook",
            "  group_wait: 0s",
            "  group_interval: 1s",
            "  repeat_interval: 1h",
            "receivers:",
            "  - name: webhook",
            "    webhook_configs:",
            "      - url: http://127.0.0.1:" + deadPort + "/",
            ""));
    alertmanager =
        LoopbackDaemon.start(
            "alertmanager",
            dir,
            amPort,
            "/-/ready",
            List.of(
                amBin.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + Files.createDirectories(dir.resolve("am-data")),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=127.0.0.1:" + meshPort,
                "--cluster.advertise-address=127.0.0.1:" + meshPort,
                "--cluster.settle-timeout=1s"));

    Path rules = Files.createDirectories(dir.resolve("rules"));
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      Files.copy(f.path(), rules.resolve(f.fileName()));
    }
    // The expected targets of a station whose one node is this host, in place of the shipped
    // file's (the homelab example's nodes, which do not run here).
    Files.writeString(
        rules.resolve(ExpectedTargets.FILE),
        ExpectedTargets.render(
            List.of(
                new ExpectedTargets.Expected(
                    "NodeExporterMissing",
                    "node-exporter",
                    "node-exporter",
                    "critical",
                    "platform",
                    List.of(NODE))),
            List.of()));
    writeNodeExporterTargets(true);
    int promPort = LoopbackDaemon.freePort();
    Files.writeString(
        dir.resolve("prometheus.yml"),
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "  external_labels:",
            "    cluster: vigil-test",
            // Remote write and HTTP discovery against the loopback port nobody listens on: their
            // queue and refresh-failure families exist, and fail, without traffic leaving the host.
            "remote_write:",
            "  - url: http://127.0.0.1:" + deadPort + "/api/v1/push",
            "    name: nowhere",
            "alerting:",
            "  alertmanagers:",
            "    - static_configs:",
            "        - targets: ['127.0.0.1:" + amPort + "']",
            "rule_files:",
            "  - rules/*.rules.yaml",
            "scrape_configs:",
            "  - job_name: http-discovery",
            "    http_sd_configs:",
            "      - url: http://127.0.0.1:" + deadPort + "/targets",
            "        refresh_interval: 1s",
            // Discovered from a file, so a test can take the target away as a deleted pod would.
            "  - job_name: node-exporter",
            "    file_sd_configs:",
            "      - files: ['" + dir.resolve("node-exporter.json") + "']",
            "    relabel_configs:",
            "      - target_label: instance",
            "        replacement: " + NODE,
            "  - job_name: prometheus",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + promPort + "']",
            "        labels: {namespace: monitoring, pod: prometheus-0}",
            "  - job_name: alertmanager",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + amPort + "']",
            "        labels: {namespace: monitoring, pod: alertmanager-0}",
            ""));
    prometheus =
        LoopbackDaemon.start(
            "prometheus",
            dir,
            promPort,
            "/-/ready",
            List.of(
                promBin.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                // Alerts evaluated before the Alertmanager target is discovered are dropped;
                // resend within a second instead of the default minute.
                "--rules.alert.resend-delay=1s"));
  }

  @AfterAll
  static void stopStack() {
    for (LoopbackDaemon d : new LoopbackDaemon[] {prometheus, alertmanager, nodeExporter}) {
      if (d != null) {
        d.close();
      }
    }
  }

  @Test
  @Order(1)
  void everyRuleEvaluatesWithoutErrorOnRealData() throws Exception {
    // Groups may have their own, longer interval; wait until each rule has run once.
    Awaitility.await("every rule evaluated once")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> rulesByHealth().getOrDefault("unknown", List.of()).isEmpty());
    Map<String, List<String>> byHealth = rulesByHealth();
    assertThat(byHealth.getOrDefault("err", List.of()))
        .as("rules with evaluation errors")
        .isEmpty();
    assertThat(byHealth.get("ok")).as("rules evaluated").isNotEmpty();
  }

  @Test
  @Order(2)
  void metricsTheRulesSelectExistInTheRealExporters() throws Exception {
    awaitScrapedOnce();
    Set<String> missing = new TreeSet<>();
    int checked = 0;
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      if (!LIVE_COMPONENTS.contains(f.component())) {
        continue;
      }
      for (String metric : selectedMetrics(f)) {
        checked++;
        if (!NOT_HERE.containsKey(metric)
            && query("count({__name__=\"" + metric + "\"})").isEmpty()) {
          missing.add(metric + " (" + f.fileName() + ")");
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(missing).as("metrics selected by rules but not exported").isEmpty();
  }

  @Test
  @Order(3)
  void dashboardRecordingRulesHaveSaneValuesAndLabels() throws Exception {
    Map<String, double[]> bounds =
        Map.of(
            "instance:node_cpu_utilisation:rate5m", new double[] {0, 1},
            "instance:node_memory_utilisation:ratio", new double[] {Double.MIN_VALUE, 1},
            "instance:node_load1_per_cpu:ratio", new double[] {0, 10_000},
            "instance:node_num_cpu:sum", new double[] {1, 100_000});
    for (Map.Entry<String, double[]> e : bounds.entrySet()) {
      JsonNode series =
          Awaitility.await(e.getKey())
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> query(e.getKey()), r -> r.size() == 1)
              .get(0);
      assertThat(labels(series))
          .as(e.getKey())
          .isEqualTo(
              Map.of(
                  "__name__", e.getKey(), "instance", NODE, "job", "node-exporter", "node", NODE));
      double v = value(series);
      assertThat(v).as(e.getKey()).isBetween(e.getValue()[0], e.getValue()[1]);
    }
  }

  @Test
  @Order(4)
  void networkRecordingRulesLeaveLoopbackOut() throws Exception {
    // Every scrape here crosses lo, so its rate is well above zero.
    String lo =
        "sum(rate(node_network_receive_bytes_total{job=\"node-exporter\", device=\"lo\"}[5m]))";
    Awaitility.await("loopback traffic")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> query(lo), r -> r.size() == 1 && value(r.get(0)) > 0);
    for (String direction : List.of("receive", "transmit")) {
      String recorded = "instance:node_network_" + direction + "_bytes_excluding_virtual:rate5m";
      String physical =
          "node_network_"
              + direction
              + "_bytes_total{job=\"node-exporter\", device!~\""
              + "lo|veth.*|docker.*|flannel.*|cni.*|cali.*|virbr.*|br-.*|vxlan.*|tunl.*|kube-ipvs.*"
              + "\"}";
      String all = "node_network_" + direction + "_bytes_total{job=\"node-exporter\"}";
      if (query("count(" + physical + ")").isEmpty()) {
        // A host (or container) with only virtual interfaces records nothing at all.
        assertThat(query(recorded)).as(recorded).isEmpty();
        continue;
      }
      List<JsonNode> r =
          Awaitility.await(recorded)
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> query(recorded), x -> x.size() == 1);
      double total = value(query("sum(rate(" + all + "[5m]))").get(0));
      double loRate = value(query(lo.replace("receive", direction)).get(0));
      assertThat(value(r.get(0))).as(recorded).isGreaterThanOrEqualTo(0).isLessThan(total);
      assertThat(loRate).as("lo " + direction).isPositive();
    }
  }

  @Test
  @Order(5)
  void watchdogReachesAlertmanagerAndQuietAlertsStayQuiet() throws Exception {
    JsonNode watchdog =
        Awaitility.await("Watchdog in Alertmanager")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> alertmanagerAlert("Watchdog"), n -> n != null);
    assertThat(watchdog.path("labels").path("severity").asText()).isEqualTo("none");
    assertThat(watchdog.path("labels").path("cluster").asText()).isEqualTo("vigil-test");
    assertThat(watchdog.path("annotations").path("runbook_url").asText())
        .isEqualTo(RuleFiles.runbookUrl("Watchdog"));
    // A healthy Prometheus with an Alertmanager it reaches: none of these may be active.
    List<String> quiet =
        List.of(
            "NodeDown",
            "NodeExporterAbsent",
            "TargetDown",
            "PrometheusNotConnectedToAlertmanagers",
            "PrometheusConfigReloadFailed",
            "PrometheusRuleEvaluationFailures",
            "AlertmanagerConfigReloadFailed",
            "AlertmanagerMembersInconsistent",
            "AlertmanagerDown");
    for (String name : quiet) {
      assertThat(query("ALERTS{alertname=\"" + name + "\"}")).as(name).isEmpty();
    }
  }

  /**
   * A target that leaves discovery (its pod deleted, its node gone) leaves no up series: NodeDown
   * stays silent, and only the spec's list of expected targets notices.
   */
  @Test
  @Order(6)
  void aNodeExporterTargetThatVanishesFromDiscoveryIsMissingNotDown() throws Exception {
    writeNodeExporterTargets(false);
    List<JsonNode> pending =
        Awaitility.await("NodeExporterMissing pending")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> query("ALERTS{alertname=\"NodeExporterMissing\", alertstate=\"pending\"}"),
                r -> r.size() == 1);
    assertThat(labels(pending.get(0)))
        .containsEntry("node", NODE)
        .containsEntry("job", "node-exporter");
    assertThat(query("up{job=\"node-exporter\"}")).as("no up series left behind").isEmpty();
    assertThat(query("ALERTS{alertname=\"NodeDown\"}")).isEmpty();
    // Back in discovery: the target is scraped again and the alert clears.
    writeNodeExporterTargets(true);
    Awaitility.await("node-exporter rediscovered")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> query("ALERTS{alertname=\"NodeExporterMissing\"}"), List::isEmpty);
    assertThat(query("up{job=\"node-exporter\"} == 1")).hasSize(1);
  }

  private static void writeNodeExporterTargets(boolean present) throws IOException {
    String json =
        present
            ? "[{\"targets\": [\"127.0.0.1:"
                + nodeExporterPort
                + "\"], \"labels\": {\"node\": \""
                + NODE
                + "\"}}]\n"
            : "[]\n";
    // Written whole and moved into place, so discovery never reads half a file.
    Path tmp = dir.resolve("node-exporter.json.tmp");
    Files.writeString(tmp, json);
    Files.move(
        tmp,
        dir.resolve("node-exporter.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  @Order(7)
  void nodeDownGoesPendingWhenTheRealNodeExporterStops() throws Exception {
    nodeExporter.close();
    List<JsonNode> pending =
        Awaitility.await("NodeDown pending")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> query("ALERTS{alertname=\"NodeDown\", alertstate=\"pending\"}"),
                r -> r.size() == 1);
    Map<String, String> l = labels(pending.get(0));
    assertThat(l).containsEntry("node", NODE).containsEntry("severity", "critical");
    // A down node-exporter is NodeDown's alone: TargetDown must not count it.
    assertThat(query("ALERTS{alertname=\"TargetDown\", job=\"node-exporter\"}")).isEmpty();
  }

  private static Set<String> selectedMetrics(RuleFiles.RuleFile f) {
    Set<String> names = new TreeSet<>();
    for (JsonNode rule : RuleFiles.alerts(f.yaml())) {
      collect(rule.path("expr").asText(), names);
    }
    for (JsonNode rule : RuleFiles.recordings(f.yaml())) {
      collect(rule.path("expr").asText(), names);
    }
    return names;
  }

  private static void collect(String expr, Set<String> into) {
    Matcher m = SELECTED_METRIC.matcher(expr);
    while (m.find()) {
      String name = m.group(1);
      // Recorded series and ALERTS are produced by Prometheus' rules, not by exporters.
      if (!name.contains(":") && !name.equals("ALERTS")) {
        into.add(name);
      }
    }
  }

  private static void awaitScrapedOnce() {
    Awaitility.await("all three targets scraped")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> query("up == 1"), r -> r.size() == 3);
  }

  private static Map<String, List<String>> rulesByHealth() throws Exception {
    JsonNode groups = api("/api/v1/rules").path("data").path("groups");
    Map<String, List<String>> out = new TreeMap<>();
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        String health = r.path("health").asText("unknown");
        String what = g.path("file").asText() + " " + r.path("name").asText();
        if (r.hasNonNull("lastError") && !r.path("lastError").asText().isEmpty()) {
          what += ": " + r.path("lastError").asText();
        }
        out.computeIfAbsent(health, k -> new ArrayList<>()).add(what);
      }
    }
    return out;
  }

  private static JsonNode alertmanagerAlert(String name) throws Exception {
    HttpResponse<String> r = alertmanager.get("/api/v2/alerts");
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode a : JSON.readTree(r.body())) {
      if (name.equals(a.path("labels").path("alertname").asText())) {
        return a;
      }
    }
    return null;
  }

  private static List<JsonNode> query(String promql) throws Exception {
    JsonNode body = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<JsonNode> out = new ArrayList<>();
    body.path("data").path("result").forEach(out::add);
    return out;
  }

  private static JsonNode api(String pathAndQuery) throws Exception {
    HttpResponse<String> r = prometheus.get(pathAndQuery);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText())
        .as("%s -> %s", pathAndQuery, r.body())
        .isEqualTo("success");
    return body;
  }

  private static Map<String, String> labels(JsonNode series) {
    Map<String, String> out = new TreeMap<>();
    series.path("metric").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static double value(JsonNode series) {
    return Double.parseDouble(series.path("value").get(1).asText());
  }
}
