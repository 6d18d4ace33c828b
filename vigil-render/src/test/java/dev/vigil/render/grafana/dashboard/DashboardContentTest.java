package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The panels the operators asked for, with their thresholds and queries, as Grafana reads them. */
class DashboardContentTest {
  private static final Map<String, JsonNode> BY_UID = new TreeMap<>();

  static {
    QueryCorpus.all().forEach(d -> BY_UID.put(d.uid(), Json.parse(d.toJson())));
  }

  @Test
  void clusterOverviewHasTheOperatorsPanels() {
    assertThat(titles("cluster-overview"))
        .contains(
            "Total nodes",
            "Running pods",
            "Failed pods",
            "Node CPU utilisation",
            "Node memory utilisation",
            "Node status");
    assertThat(panel("cluster-overview", "Total nodes").path("type").asText()).isEqualTo("stat");
    assertThat(panel("cluster-overview", "Node CPU utilisation").path("type").asText())
        .isEqualTo("timeseries");
    assertThat(exprs("cluster-overview", "Node CPU utilisation"))
        .containsExactly("instance:node_cpu_utilisation:rate5m{cluster=\"\"}");
    assertThat(exprs("cluster-overview", "Node memory utilisation"))
        .containsExactly("instance:node_memory_utilisation:ratio{cluster=\"\"}");
  }

  @Test
  void nodeStatusTableColoursReadyAndNotReady() {
    JsonNode table = panel("cluster-overview", "Node status");
    assertThat(table.path("type").asText()).isEqualTo("table");
    JsonNode status = override(table, "Status");
    JsonNode mapping = property(status, "mappings").get(0).path("options");
    assertThat(mapping.path("1").path("text").asText()).isEqualTo("Ready");
    assertThat(mapping.path("1").path("color").asText()).isEqualTo("green");
    assertThat(mapping.path("0").path("text").asText()).isEqualTo("NotReady");
    assertThat(mapping.path("0").path("color").asText()).isEqualTo("red");
    assertThat(property(status, "custom.cellOptions").path("type").asText())
        .isEqualTo("color-background");
    String joined = String.join(" ", exprs("cluster-overview", "Node status"));
    assertThat(joined).contains("kube_node_role", "kubelet_version", "condition=\"Ready\"");
    assertThat(renames(table))
        .containsEntry("role", "Role")
        .containsEntry("kubelet_version", "Kubelet");
  }

  @Test
  void nodeMetricsFiltersByNodeVariable() {
    JsonNode node = variable("node-metrics", "node");
    assertThat(node.path("type").asText()).isEqualTo("query");
    assertThat(node.path("datasource").path("uid").asText()).isEqualTo(Datasources.PROMETHEUS_UID);
    assertThat(node.path("definition").asText()).startsWith("label_values(node_uname_info");
    assertThat(node.path("includeAll").asBoolean()).isTrue();
    assertThat(node.path("allValue").asText()).isEqualTo(".*");
    for (JsonNode p : BY_UID.get("node-metrics").path("panels")) {
      for (JsonNode t : p.path("targets")) {
        assertThat(t.path("expr").asText()).as(p.path("title").asText()).contains("$node");
      }
    }
  }

  @Test
  void networkPanelsExcludeVirtualInterfaces() {
    for (String e : exprs("node-metrics", "Network traffic by node and interface")) {
      assertThat(e).contains("device!~\"lo|veth.*|docker.*|flannel.*|cni.*|cali.*|");
    }
    JsonNode tx =
        override(panel("node-metrics", "Network traffic by node and interface"), ".* transmit");
    assertThat(property(tx, "custom.transform").asText()).isEqualTo("negative-Y");
    assertThat(String.join(" ", exprs("node-metrics", "Network traffic per node")))
        .contains(
            "instance:node_network_receive_bytes_excluding_virtual:rate5m",
            "instance:node_network_transmit_bytes_excluding_virtual:rate5m");
  }

  @Test
  void osTableTellsDebianFromRhel() {
    JsonNode os = panel("node-metrics", "Operating systems");
    String expr = exprs("node-metrics", "Operating systems").get(0);
    assertThat(expr).contains("node_os_info", "id", "pretty_name", "version_id");
    assertThat(expr).contains("node_uname_info", "nodename", "release");
    JsonNode family = property(override(os, "Family"), "mappings").get(0).path("options");
    assertThat(family.path("debian").path("text").asText()).isEqualTo("Debian");
    assertThat(family.path("rhel").path("text").asText()).isEqualTo("RHEL");
    assertThat(family.path("debian").path("color").asText())
        .isNotEqualTo(family.path("rhel").path("color").asText());
  }

  @Test
  void nodeMetricsCoversCpuMemoryDiskNetworkAndLoad() {
    assertThat(titles("node-metrics"))
        .contains(
            "CPU utilisation by node",
            "Memory utilisation by node",
            "Filesystem usage",
            "Network traffic by node and interface",
            "Load average (5m)");
    assertThat(String.join(" ", exprs("node-metrics", "Filesystem usage")))
        .contains("fstype!~\"tmpfs", "overlay");
  }

  @Test
  void prometheusHealthPanels() {
    assertThat(titles("prometheus-health"))
        .contains(
            "Targets up",
            "Scrape targets",
            "Samples ingested",
            "Query duration p95 / p99",
            "Scrape target status",
            "TSDB head series",
            "Storage size");
    List<String> latency = exprs("prometheus-health", "Query duration p95 / p99");
    assertThat(latency).anyMatch(e -> e.startsWith("histogram_quantile(0.95,"));
    assertThat(latency).anyMatch(e -> e.startsWith("histogram_quantile(0.99,"));
    assertThat(String.join(" ", exprs("prometheus-health", "Storage size")))
        .contains("prometheus_tsdb_storage_blocks_bytes", "prometheus_tsdb_wal_storage_size_bytes");
    JsonNode status = override(panel("prometheus-health", "Scrape target status"), "Status");
    assertThat(property(status, "mappings").get(0).path("options").path("0").path("text").asText())
        .isEqualTo("Down");
  }

  @Test
  void lokiDashboardQueriesTheRightStreams() {
    assertThat(exprs("loki-logs", "Log volume by namespace"))
        .containsExactly("sum by (namespace) (count_over_time({namespace=~\".+\"} [$__auto]))");
    JsonNode volume = panel("loki-logs", "Log volume by namespace");
    assertThat(
            volume.path("fieldConfig").path("defaults").path("custom").path("drawStyle").asText())
        .isEqualTo("bars");
    assertThat(
            volume
                .path("fieldConfig")
                .path("defaults")
                .path("custom")
                .path("stacking")
                .path("mode")
                .asText())
        .isEqualTo("normal");
    assertThat(panel("loki-logs", "Application logs").path("type").asText()).isEqualTo("logs");
    assertThat(exprs("loki-logs", "Application logs").get(0))
        .contains("namespace!~\"kube-system|kube-public|kube-node-lease|monitoring\"");
    assertThat(exprs("loki-logs", "System logs"))
        .containsExactly("{namespace=\"kube-system\"}", "{job=\"systemd-journal\"}");
    assertThat(exprs("loki-logs", "Monitoring stack logs"))
        .containsExactly("{namespace=\"monitoring\"}");
    assertThat(exprs("loki-logs", "Error log rate"))
        .allMatch(e -> e.contains("|~ \"(?i)error|fail|exception\""));
    assertThat(panel("loki-logs", "Loki ingestion rate").path("datasource").path("uid").asText())
        .isEqualTo(Datasources.PROMETHEUS_UID);
    for (JsonNode t : panel("loki-logs", "Error log rate").path("targets")) {
      assertThat(t.path("queryType").asText()).isEqualTo("range");
    }
  }

  @Test
  void alertsOverviewCountsFiringAlertsBySeverity() {
    List<String> bySeverity = exprs("alerts-overview", "Firing alerts by severity");
    assertThat(bySeverity).hasSize(3).allMatch(e -> e.contains("ALERTS{alertstate=\"firing\""));
    assertThat(String.join(" ", bySeverity))
        .contains("severity=\"critical\"", "severity=\"warning\"", "severity=\"info\"");
    assertThat(exprs("alerts-overview", "Notifications sent").get(0))
        .contains("alertmanager_notifications_total");
    assertThat(exprs("alerts-overview", "Notifications failed").get(0))
        .contains("alertmanager_notifications_failed_total");
    assertThat(panel("alerts-overview", "Firing alerts").path("type").asText()).isEqualTo("table");
  }

  @Test
  void ipmiThresholdsMatchTheOperatorsLimits() {
    assertThat(steps(panel("ipmi-hardware", "Temperature sensors")))
        .containsExactly("green@base", "yellow@65", "orange@75", "red@85");
    assertThat(steps(panel("ipmi-hardware", "Fan speeds")))
        .containsExactly("red@base", "yellow@1000", "green@2000");
    assertThat(steps(panel("ipmi-hardware", "Power consumption")))
        .containsExactly("green@base", "yellow@200", "red@300");
    assertThat(steps(panel("ipmi-hardware", "Current power draw")))
        .containsExactly("green@base", "yellow@200", "red@300");
    assertThat(unit(panel("ipmi-hardware", "Temperature sensors"))).isEqualTo("celsius");
    assertThat(unit(panel("ipmi-hardware", "Fan speeds"))).isEqualTo("rotrpm");
    assertThat(unit(panel("ipmi-hardware", "Voltage sensors"))).isEqualTo("volt");
    assertThat(exprs("ipmi-hardware", "BMC status").get(0)).contains("ipmi_up");
    assertThat(panel("ipmi-hardware", "Sensor status").path("type").asText()).isEqualTo("table");
  }

  private static List<String> steps(JsonNode panel) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")) {
      out.add(
          s.path("color").asText()
              + "@"
              + (s.path("value").isNull() ? "base" : s.path("value").asText()));
    }
    return out;
  }

  private static String unit(JsonNode panel) {
    return panel.path("fieldConfig").path("defaults").path("unit").asText();
  }

  static List<String> titles(String uid) {
    List<String> out = new ArrayList<>();
    BY_UID.get(uid).path("panels").forEach(p -> out.add(p.path("title").asText()));
    return out;
  }

  static JsonNode panel(String uid, String title) {
    for (JsonNode p : BY_UID.get(uid).path("panels")) {
      if (p.path("title").asText().equals(title) && !p.path("type").asText().equals("row")) {
        return p;
      }
    }
    throw new AssertionError(uid + " has no panel '" + title + "'; it has " + titles(uid));
  }

  static List<String> exprs(String uid, String title) {
    List<String> out = new ArrayList<>();
    panel(uid, title).path("targets").forEach(t -> out.add(t.path("expr").asText()));
    return out;
  }

  private static JsonNode variable(String uid, String name) {
    for (JsonNode v : BY_UID.get(uid).path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(uid + " has no variable " + name);
  }

  private static JsonNode override(JsonNode panel, String matcher) {
    for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
      if (o.path("matcher").path("options").asText().equals(matcher)) {
        return o;
      }
    }
    throw new AssertionError(panel.path("title") + " has no override for " + matcher);
  }

  private static JsonNode property(JsonNode override, String id) {
    for (JsonNode p : override.path("properties")) {
      if (p.path("id").asText().equals(id)) {
        return p.path("value");
      }
    }
    throw new AssertionError("override has no property " + id);
  }

  private static Map<String, String> renames(JsonNode panel) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode t : panel.path("transformations")) {
      if (t.path("id").asText().equals("organize")) {
        t.path("options")
            .path("renameByName")
            .fields()
            .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      }
    }
    return out;
  }
}
