package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.apply.Watch;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.Yaml;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.LoopbackDaemon;
import dev.vigil.testing.Tools;
import dev.vigil.testing.grafana.GrafanaApiDouble;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.verify.stack.Expectations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the station's rendered rules in a real Prometheus, its rendered routing in a real
 * Alertmanager, a real node-exporter and a real syslog gateway (vigil agent), Loki and Grafana
 * through test receivers that speak their APIs, the cluster through fabric8's mock API server. One
 * of node-exporter's targets is deliberately broken: NodeDown fires, Alertmanager delivers it to
 * the receiver's webhook, and {@code vigil verify} must report every check with the right verdict —
 * that target as FAIL among them.
 */
class VerifyStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;

  private static final List<String> webhook = new CopyOnWriteArrayList<>();
  private static HttpServer hook;
  private static LokiProtocolReceiver loki;
  private static GrafanaApiDouble grafana;
  private static LoopbackDaemon nodeExporter;
  private static LoopbackDaemon alertmanager;
  private static LoopbackDaemon prometheus;
  private static RunningAgent agent;
  private static KubeMock kube;
  private static Path spec;
  private static int brokenPort;
  private static int syslogPort;

  @BeforeAll
  static void startStack() throws Exception {
    Path promBin = Tools.require("prometheus", "prometheus");
    Path amBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    Path neBin = Tools.require("prometheus-node-exporter", "prometheus-node-exporter");

    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    hook.createContext(
        "/",
        ex -> {
          webhook.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    hook.start();
    loki = LokiProtocolReceiver.start(0);
    loki.multiTenant(true);

    brokenPort = LoopbackDaemon.freePort();
    syslogPort = LoopbackDaemon.freePort();
    spec = dir.resolve("vigil.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "apiVersion: vigil.dev/v1",
            "kind: Station",
            "cluster: {name: e2e, namespace: monitoring}",
            "profile: homelab",
            "nodes:",
            "  - {name: node-1, address: 127.0.0.1}",
            "components:",
            "  alloy: {enabled: false}",
            "  kubeStateMetrics: {enabled: false}",
            "  loki: {multiTenant: true, tenant: e2e-logs}",
            "alerting:",
            "  receivers:",
            "    - name: oncall",
            "      slack:",
            "        apiUrl: {secret: {name: alertmanager-receivers, key: slack-webhook-url}}",
            "        channel: '#oncall'",
            "  defaultReceiver: oncall",
            "syslog:",
            "  listen: {address: 127.0.0.1, udp: false, tcpPort: " + syslogPort + "}",
            "  loki: {url: '" + loki.url() + "', tenant: e2e-logs}",
            "time: {enabled: false}",
            ""));
    Station station = SpecLoader.load(spec, List.of()).orThrow();
    Expectations ex = new Expectations(station);
    RenderedStack stack = ex.stack();

    agent =
        new RunningAgent(
            "-f",
            spec.toString(),
            "--node",
            "node-1",
            "--services",
            "syslog",
            "--data-dir",
            dir.resolve("agent").toString(),
            "--http-address",
            "127.0.0.1",
            "--http-port",
            "0");

    int nePort = LoopbackDaemon.freePort();
    nodeExporter =
        LoopbackDaemon.start(
            "node-exporter",
            dir,
            nePort,
            "/metrics",
            List.of(neBin.toString(), "--web.listen-address=127.0.0.1:" + nePort));

    // The rendered routing, its secret files read from here instead of the pod's mount.
    Path secrets = Files.createDirectories(dir.resolve("secrets/alertmanager-receivers"));
    Files.writeString(
        secrets.resolve("slack-webhook-url"),
        "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n");
    String amYml =
        ex.alertmanagerConfig()
            .orElseThrow()
            .replace("/etc/alertmanager/secrets", dir.resolve("secrets").toString());
    Files.writeString(dir.resolve("alertmanager.yml"), amYml);
    int amPort = LoopbackDaemon.freePort();
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
                // One replica, as rendered: no cluster.
                "--cluster.listen-address="));

    Path rules = Files.createDirectories(dir.resolve("rules"));
    stack
        .contributions()
        .allRuleFiles()
        .forEach(
            (name, text) -> {
              try {
                Files.writeString(rules.resolve(name), text);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    int promPort = LoopbackDaemon.freePort();
    Map<String, List<String>> loopback =
        Map.of(
            "prometheus", List.of("127.0.0.1:" + promPort),
            "alertmanager", List.of("127.0.0.1:" + amPort),
            "node-exporter", List.of("127.0.0.1:" + nePort, "127.0.0.1:" + brokenPort),
            "vigil-agent", List.of("127.0.0.1:" + agent.httpPort));
    Files.writeString(
        dir.resolve("prometheus.yml"), prometheusConfig(stack, loopback, "127.0.0.1:" + amPort));
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
                "--rules.alert.resend-delay=1s"));

    grafana = GrafanaApiDouble.start().anonymousViewer(true);
    for (ProvisionedDatasource d : ex.datasources()) {
      grafana.datasource(
          d.ref().uid(), d.displayName(), d.ref().type(), true, "Data source is working");
    }
    for (Dashboard d : ex.dashboards()) {
      grafana.dashboard(d.uid(), d.title());
    }

    kube = new KubeMock(dir);
    rolledOut(kube.server.createClient(), ex);
  }

  /**
   * prometheus.yml for loopback: the rendered rule files and external labels, and each rendered job
   * that a process here serves, with static targets in place of Kubernetes discovery. Jobs no
   * process here serves (the kubelet's, Loki's, Grafana's) are left out, as they would be missing
   * from a misconfigured Prometheus.
   */
  static String prometheusConfig(
      RenderedStack stack, Map<String, List<String>> targets, String alertmanager)
      throws Exception {
    String rendered = RenderedConfigIT.configMap(stack, "prometheus-config").get("prometheus.yml");
    JsonNode r = Yaml.mapper().readTree(rendered);
    ObjectNode cfg = JSON.createObjectNode();
    ObjectNode global = cfg.putObject("global");
    global.put("scrape_interval", "1s");
    global.put("evaluation_interval", "1s");
    global.set("external_labels", r.path("global").path("external_labels"));
    cfg.putObject("alerting")
        .putArray("alertmanagers")
        .addObject()
        .putArray("static_configs")
        .addObject()
        .putArray("targets")
        .add(alertmanager);
    cfg.putArray("rule_files").add("rules/*.rules.yaml");
    ArrayNode jobs = cfg.putArray("scrape_configs");
    for (JsonNode job : r.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      List<String> t = targets.get(name);
      if (t == null) {
        continue;
      }
      ObjectNode j = jobs.addObject();
      j.put("job_name", name);
      j.put("metrics_path", job.path("metrics_path").asText("/metrics"));
      ObjectNode sc = j.putArray("static_configs").addObject();
      ArrayNode ts = sc.putArray("targets");
      t.forEach(ts::add);
      sc.putObject("labels").put("node", "node-1");
    }
    return Yaml.write(cfg);
  }

  /**
   * The station's workloads as their controllers report them once rolled out, a running pod each.
   */
  static void rolledOut(KubernetesClient c, Expectations ex) {
    for (Watch w : ex.watches()) {
      HasMetadata o =
          ex.stack().objects().stream()
              .filter(
                  x ->
                      x.getKind().equals(w.ref().kind())
                          && x.getMetadata().getName().equals(w.ref().name()))
              .findFirst()
              .orElse(null);
      if (o instanceof StatefulSet s) {
        int n = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        c.resource(
                new StatefulSetBuilder(s)
                    .editMetadata()
                    .withGeneration(1L)
                    .endMetadata()
                    .withNewStatus()
                    .withObservedGeneration(1L)
                    .withReplicas(n)
                    .withReadyReplicas(n)
                    .withUpdatedReplicas(n)
                    .endStatus()
                    .build())
            .create();
        c.resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace(s.getMetadata().getNamespace())
                    .withName(s.getMetadata().getName() + "-0")
                    .withLabels(s.getSpec().getTemplate().getMetadata().getLabels())
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Running")
                    .addNewContainerStatus()
                    .withName(s.getMetadata().getName())
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .endContainerStatus()
                    .endStatus()
                    .build())
            .create();
      } else if (o instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet d) {
        c.resource(
                new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder(d)
                    .editMetadata()
                    .withGeneration(1L)
                    .endMetadata()
                    .withNewStatus()
                    .withObservedGeneration(1L)
                    .withDesiredNumberScheduled(1)
                    .withNumberReady(1)
                    .withUpdatedNumberScheduled(1)
                    .withNumberAvailable(1)
                    .endStatus()
                    .build())
            .create();
      } else if (w.ref().kind().equals("PersistentVolumeClaim")) {
        c.resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withNamespace(w.ref().namespace())
                    .withName(w.ref().name())
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Bound")
                    .endStatus()
                    .build())
            .create();
      }
    }
  }

  @AfterAll
  static void stopStack() {
    for (AutoCloseable c :
        new AutoCloseable[] {prometheus, alertmanager, nodeExporter, agent, grafana, loki, kube}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // Stopping the rest matters more.
        }
      }
    }
    if (hook != null) {
      hook.stop(0);
    }
  }

  static Map<String, JsonNode> byCheck(JsonNode report) {
    Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
    report
        .path("checks")
        .forEach(c -> m.put(c.path("target").asText() + " | " + c.path("check").asText(), c));
    return m;
  }

  @Test
  void verifyReportsEveryChecklistItemWithTheRightVerdict() throws Exception {
    // A router's line through the gateway, so Loki holds a recent syslog entry before verify asks.
    try (Socket s = new Socket("127.0.0.1", syslogPort)) {
      OutputStream o = s.getOutputStream();
      o.write(
          "<30>Jun  1 12:00:00 router-1 dnsmasq[412]: query[A] example.org from 192.0.2.7\n"
              .getBytes(StandardCharsets.US_ASCII));
      o.flush();
    }
    Awaitility.await("the router's line in Loki")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> loki.entries().stream().anyMatch(e -> e.line().contains("query[A] example.org")));
    // NodeDown waits 2m (its rule's `for`), then the rendered routing's group_wait: bound by both
    // and slack.
    Awaitility.await("NodeDown delivered to the receiver's webhook")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> webhook.stream().anyMatch(b -> b.contains("NodeDown")));
    String delivered =
        webhook.stream().filter(b -> b.contains("NodeDown")).findFirst().orElseThrow();
    assertThat(delivered).contains("\"channel\":\"#oncall\"").contains("FIRING");
    assertThat(webhook).noneMatch(b -> b.contains("Watchdog"));

    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "-f",
                spec.toString(),
                "--kubeconfig",
                kube.kubeconfig.toString(),
                "--url",
                "prometheus=" + prometheus.url(),
                "--url",
                "alertmanager=" + alertmanager.url(),
                "--url",
                "loki=" + loki.url(),
                "--url",
                "grafana=" + grafana.url(),
                "--url",
                "syslog=127.0.0.1:" + syslogPort,
                "--syslog-bound",
                "30s"));
    List<String> json = new ArrayList<>(args);
    json.addAll(List.of("-o", "json"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Vigil.run(
            json.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    JsonNode report = JSON.readTree(out.toString());
    Map<String, JsonNode> c = byCheck(report);
    String all = out + "\n" + err;
    assertThat(code).as(all).isEqualTo(1);
    assertThat(report.path("result").asText()).isEqualTo("fail");

    // The cluster: every workload rolled out, every claim bound, no pod looping.
    c.values().stream()
        .filter(
            x ->
                x.path("check")
                    .asText()
                    .matches("(StatefulSet|DaemonSet|Deployment|PersistentVolumeClaim) .*"))
        .forEach(x -> assertThat(x.path("result").asText()).as(x.toString()).isEqualTo("pass"));
    assertThat(result(c, "kubernetes | pods in monitoring")).isEqualTo("pass");

    // Prometheus: what runs here is up; the broken target and what nothing here serves fail.
    assertThat(result(c, "prometheus | ready")).isEqualTo("pass");
    for (String job : List.of("prometheus", "alertmanager", "vigil-agent")) {
      assertThat(result(c, "prometheus | scrape job " + job)).as(job).isEqualTo("pass");
    }
    JsonNode ne = c.get("prometheus | scrape job node-exporter");
    assertThat(ne.path("result").asText()).isEqualTo("fail");
    assertThat(ne.path("measured").asText()).isEqualTo("1/2 up");
    assertThat(ne.path("detail").asText())
        .contains("127.0.0.1:" + brokenPort)
        .contains("connection refused");
    for (String job : List.of("apiserver", "kubelet", "cadvisor", "loki", "grafana")) {
      JsonNode j = c.get("prometheus | scrape job " + job);
      assertThat(j.path("result").asText()).as(job).isEqualTo("fail");
      assertThat(j.path("measured").asText()).isEqualTo("0 targets");
    }
    assertThat(result(c, "prometheus | scrape job kubernetes-service-endpoints")).isEqualTo("pass");
    c.values().stream()
        .filter(x -> x.path("check").asText().startsWith("rule file "))
        .forEach(x -> assertThat(x.path("result").asText()).as(x.toString()).isEqualTo("pass"));
    assertThat(c.keySet())
        .contains(
            "prometheus | rule file general.rules.yaml",
            "prometheus | rule file node-exporter.rules.yaml",
            "prometheus | rule file syslog.rules.yaml");
    assertThat(result(c, "prometheus | tsdb writes")).isEqualTo("pass");
    assertThat(result(c, "prometheus | tsdb volume")).isEqualTo("unknown");
    assertThat(result(c, "prometheus | alertmanagers discovered")).isEqualTo("pass");
    assertThat(result(c, "prometheus | alerts sent")).isEqualTo("pass");
    assertThat(result(c, "prometheus | Watchdog firing")).isEqualTo("pass");

    // Alertmanager: the rendered configuration, alone as rendered, Watchdog routed to "null",
    // delivering.
    assertThat(result(c, "alertmanager | config loaded")).isEqualTo("pass");
    assertThat(c.get("alertmanager | config loaded").path("detail").asText())
        .isEqualTo("receivers null, oncall");
    assertThat(result(c, "alertmanager | cluster peers")).isEqualTo("pass");
    JsonNode watchdog = c.get("alertmanager | Watchdog reaches its receiver");
    assertThat(watchdog.path("result").asText()).isEqualTo("pass");
    assertThat(watchdog.path("measured").asText()).isEqualTo("active, routed to null");
    JsonNode notifications = c.get("alertmanager | notifications");
    assertThat(notifications.path("result").asText())
        .as(notifications.toString())
        .isEqualTo("pass");

    // Loki and the syslog path end to end, as the station's tenant.
    assertThat(result(c, "loki | ready")).isEqualTo("pass");
    assertThat(result(c, "loki | recent syslog entries")).isEqualTo("pass");
    JsonNode e2e = c.get("syslog-gateway | syslog gateway to Loki");
    assertThat(e2e.path("result").asText()).as(e2e.toString()).isEqualTo("pass");
    assertThat(e2e.path("value").asDouble()).isBetween(0.0, 30.0);
    assertThat(loki.entries())
        .anyMatch(e -> e.line().contains("end-to-end probe") && "e2e-logs".equals(e.tenant()));

    // Grafana through its API.
    assertThat(result(c, "grafana | healthy")).isEqualTo("pass");
    c.values().stream()
        .filter(x -> x.path("check").asText().startsWith("datasource "))
        .forEach(x -> assertThat(x.path("result").asText()).isEqualTo("pass"));
    assertThat(result(c, "grafana | dashboards")).isEqualTo("pass");

    // The same run as a table and as JUnit, kept for the docs' transcript.
    StringWriter table = new StringWriter();
    int tableCode =
        Vigil.run(
            args.toArray(String[]::new),
            new PrintWriter(table, true),
            new PrintWriter(new StringWriter(), true));
    assertThat(tableCode).isEqualTo(1);
    assertThat(table.toString()).contains("Result: FAIL (exit 1)");
    List<String> junit = new ArrayList<>(args);
    junit.addAll(List.of("-o", "junit", "--out", dir.resolve("verify.xml").toString()));
    assertThat(
            Vigil.run(
                junit.toArray(String[]::new),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true)))
        .isEqualTo(1);
    assertThat(Files.readString(dir.resolve("verify.xml")))
        .contains("<failure type=\"FAIL\"")
        .contains("scrape job node-exporter");
    Path transcripts = Files.createDirectories(Path.of("target", "transcripts"));
    Files.writeString(
        transcripts.resolve("verify.txt"),
        "$ vigil verify " + String.join(" ", args.subList(1, args.size())) + "\n" + table + "\n");
  }

  private static String result(Map<String, JsonNode> c, String key) {
    JsonNode n = c.get(key);
    assertThat(n).as("check " + key + " in " + c.keySet()).isNotNull();
    return n.path("result").asText();
  }
}
