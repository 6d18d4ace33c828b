package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Debian builds of Prometheus, Alertmanager, node-exporter and ipmi-exporter and holds the
 * contracts of the pinned images against them (with {@link DebianBuilds}, which a component's own
 * test uses for its exporter): every flag Vigil's rendered manifests pass and every metric its
 * rules and dashboards query must exist in the Debian build too, unless the contract records that
 * it came later ({@code since}). Debian's builds are older than the pins, so a name that exists in
 * both is unlikely to be a typo in the contract.
 */
class DebianBinaryContractIT {
  private static final Path GOLDEN = DebianBuilds.GOLDEN;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** node-exporter collectors with no series on this machine, and why. */
  private static final Map<String, String> HOST_BOUND =
      Map.of(
          "mdadm", "needs a software RAID array",
          "bonding", "needs a bonded interface",
          "systemd", "needs --collector.systemd and a systemd host with a system D-Bus");

  /** Prometheus families this run cannot produce, and why. */
  private static final Map<String, String> PROMETHEUS_NOT_HERE =
      Map.of(
          "prometheus_sd_kubernetes_failures_total",
          "Debian builds Prometheus without Kubernetes discovery",
          "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
          "set by the first successful remote write; here remote write only fails");

  private static Contracts contracts;
  private static Map<String, Set<String>> flagsByRepository;

  @TempDir Path dir;

  @BeforeAll
  static void readVigilOutput() throws IOException {
    contracts = Contracts.load();
    flagsByRepository = renderedFlags();
  }

  @Test
  void prometheusAcceptsWhatVigilUses() throws Exception {
    Path bin = Tools.require("prometheus", "prometheus");
    Path am = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    ImageContract contract = contracts.byName("prometheus").orElseThrow();
    checkFlags(contract, bin);

    // An alert that always fires, sent to a real Alertmanager, so the rule and notifier families
    // have series (a metric vector without series is not exposed at all). Remote write and HTTP
    // discovery against a loopback port nobody listens on, and one scrape job, so the remote
    // storage, discovery-refresh and target-sync families (the last created by a pool's first sync)
    // exist without traffic leaving the host.
    Files.writeString(
        dir.resolve("alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    Files.writeString(
        dir.resolve("rules.yml"),
        "groups:\n  - name: contract\n    interval: 1s\n    rules:\n"
            + "      - alert: Always\n        expr: vector(1)\n");
    try (RunningBinary alertmanager =
            RunningBinary.start(
                "alertmanager",
                dir,
                Map.of(),
                amPort ->
                    List.of(
                        am.toString(),
                        "--config.file=alertmanager.yml",
                        "--storage.path=am-data",
                        "--web.listen-address=127.0.0.1:" + amPort,
                        "--cluster.listen-address="));
        RunningBinary prometheus =
            RunningBinary.start(
                "prometheus",
                dir,
                Map.of(),
                port ->
                    List.of(
                        bin.toString(),
                        "--config.file=" + prometheusConfig(alertmanager.port(), port),
                        "--storage.tsdb.path=data",
                        "--web.listen-address=127.0.0.1:" + port))) {
      // One evaluation and one notification: worst case a few evaluation intervals on a busy host.
      Awaitility.await("Prometheus sent the first notification")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> prometheus.metrics().contains("prometheus_notifications_sent_total{"));
      // The first target sync, discovery refresh and remote-write attempt: seconds on a busy host.
      Awaitility.await("Prometheus synced its targets and tried discovery and remote write")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                String m = prometheus.metrics();
                return m.contains("prometheus_sd_refresh_failures_total{")
                    && m.contains("prometheus_remote_storage_samples_failed_total{")
                    && m.contains("prometheus_target_sync_failed_total{");
              });
      DebianBuilds.checkMetrics(
          contract,
          DebianBuilds.version(bin),
          DebianBuilds.types(prometheus.metrics()),
          m -> notHere(contract, m));
      assertThat(alertmanager.metrics()).contains("alertmanager_alerts_received_total");
    }
  }

  @Test
  void alertmanagerAcceptsWhatVigilUses() throws Exception {
    Path bin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    ImageContract contract = contracts.byName("alertmanager").orElseThrow();
    checkFlags(contract, bin);
    Files.writeString(
        dir.resolve("alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    // Clustering on loopback: the cluster families exist only with it, and Vigil's rules query
    // them.
    try (RunningBinary am =
        RunningBinary.start(
            "alertmanager",
            dir,
            Map.of(),
            port -> {
              int clusterPort = freePortOrFail();
              return List.of(
                  bin.toString(),
                  "--config.file=alertmanager.yml",
                  "--storage.path=data",
                  "--web.listen-address=127.0.0.1:" + port,
                  "--cluster.listen-address=127.0.0.1:" + clusterPort,
                  "--cluster.advertise-address=127.0.0.1:" + clusterPort);
            })) {
      DebianBuilds.checkMetrics(
          contract,
          DebianBuilds.version(bin),
          DebianBuilds.types(am.metrics()),
          m -> notHere(contract, m));
    }
  }

  @Test
  void nodeExporterAcceptsWhatVigilUses() throws Exception {
    Path bin = Tools.require("prometheus-node-exporter", "prometheus-node-exporter");
    ImageContract contract = contracts.byName("node-exporter").orElseThrow();
    checkFlags(contract, bin);
    try (RunningBinary ne =
        RunningBinary.start(
            "node-exporter",
            dir,
            Map.of(),
            port ->
                List.of(
                    bin.toString(),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--collector.timex"))) {
      DebianBuilds.checkMetrics(
          contract,
          DebianBuilds.version(bin),
          DebianBuilds.types(ne.metrics()),
          m -> notHere(contract, m));
    }
  }

  @Test
  void ipmiExporterAcceptsWhatVigilUsesAndNeedsAWritableTempDir() throws Exception {
    Path bin = Tools.require("prometheus-ipmi-exporter", "prometheus-ipmi-exporter");
    ImageContract contract = contracts.byName("ipmi-exporter").orElseThrow();
    checkFlags(contract, bin);
    Path config = dir.resolve("ipmi.yml");
    Files.writeString(config, "modules:\n  default:\n    collectors: [ipmi, bmc, chassis, dcmi]\n");
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    try (WatchService watch = FileSystems.getDefault().newWatchService();
        RunningBinary ipmi =
            RunningBinary.start(
                "ipmi-exporter",
                dir,
                Map.of("TMPDIR", tmp.toString()),
                port ->
                    List.of(
                        bin.toString(),
                        "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port))) {
      tmp.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      Map<String, String> scraped = DebianBuilds.types(ipmi.metrics());
      // The scrape ran one FreeIPMI call per collector, each through a FIFO in $TMPDIR.
      Set<String> created = new TreeSet<>();
      WatchKey key = watch.poll(10, TimeUnit.SECONDS);
      while (key != null) {
        for (WatchEvent<?> e : key.pollEvents()) {
          created.add(String.valueOf(e.context()));
        }
        key.reset();
        key = watch.poll(1, TimeUnit.SECONDS);
      }
      assertThat(created)
          .as("files created in $TMPDIR during one scrape")
          .isNotEmpty()
          .allMatch(n -> n.matches("ipmi_exporter-[0-9a-f]{32}"));
      assertThat(ipmi.metrics())
          .contains("ipmi_up{collector=\"ipmi\"}", "ipmi_up{collector=\"dcmi\"}");
      DebianBuilds.checkMetrics(
          contract, DebianBuilds.version(bin), scraped, m -> notHere(contract, m));
    }

    // Without a writable temporary directory no FreeIPMI tool even runs.
    try (RunningBinary ipmi =
        RunningBinary.start(
            "ipmi-exporter-no-tmp",
            dir,
            Map.of("TMPDIR", dir.resolve("missing").toString()),
            port ->
                List.of(
                    bin.toString(),
                    "--config.file=" + config,
                    "--web.listen-address=127.0.0.1:" + port))) {
      String metrics = ipmi.metrics();
      assertThat(metrics).contains("ipmi_up{collector=\"ipmi\"} 0");
      Awaitility.await("the collector error in the log")
          .atMost(Duration.ofSeconds(10))
          .until(() -> ipmi.log().contains("no such file or directory"));
      assertThat(ipmi.log()).doesNotContain("inband");
    }
  }

  private static int freePortOrFail() {
    try {
      return RunningBinary.freePort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Prometheus's configuration file: rules.yml evaluated every second, alerts to the Alertmanager,
   * remote write and HTTP discovery against a loopback port nobody listens on, and itself scraped.
   */
  private String prometheusConfig(int alertmanagerPort, int port) {
    int deadPort = freePortOrFail();
    try {
      Files.writeString(
          dir.resolve("prometheus.yml"),
          "global:\n  evaluation_interval: 1s\n"
              + "rule_files: [rules.yml]\n"
              + "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:"
              + alertmanagerPort
              + "']\n"
              + "remote_write:\n  - url: http://127.0.0.1:"
              + deadPort
              + "/api/v1/push\n    name: nowhere\n"
              + "scrape_configs:\n  - job_name: http-discovery\n    http_sd_configs:\n"
              + "      - url: http://127.0.0.1:"
              + deadPort
              + "/targets\n        refresh_interval: 1s\n"
              + "  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:"
              + port
              + "']\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return "prometheus.yml";
  }

  private static void run(Path program, String... args) {
    List<String> command = new ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    Tools.Run r = Tools.run(null, 60, command);
    assertThat(r.ok()).as(String.join(" ", command) + "\n" + r.output()).isTrue();
  }

  /** Flags Vigil passes must be in the contract and in the Debian build (or be newer than it). */
  private static void checkFlags(ImageContract contract, Path bin) {
    DebianBuilds.checkFlags(
        contract, bin, flagsByRepository.getOrDefault(contract.image(), Set.of()));
  }

  /** Why this machine cannot produce a family of the core programs, or null. */
  private static String notHere(ImageContract contract, ImageContract.Metric metric) {
    if (contract.image().endsWith("ipmi-exporter") && metric.collector() != null) {
      return "needs a BMC";
    }
    if (contract.image().endsWith("node-exporter")
        && metric.collector() != null
        && HOST_BOUND.containsKey(metric.collector())) {
      return HOST_BOUND.get(metric.collector());
    }
    if (contract.image().endsWith("/prometheus")
        && PROMETHEUS_NOT_HERE.containsKey(metric.name())) {
      return PROMETHEUS_NOT_HERE.get(metric.name());
    }
    return null;
  }

  /** Image repository → the long flags its containers get in every golden render. */
  private static Map<String, Set<String>> renderedFlags() throws IOException {
    Map<String, Set<String>> flags = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(GOLDEN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        JsonNode doc = YAML.readTree(f.toFile());
        if (doc == null
            || !Set.of("Deployment", "StatefulSet", "DaemonSet")
                .contains(doc.path("kind").asText())) {
          continue;
        }
        for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
          Set<String> set =
              flags.computeIfAbsent(
                  Contracts.repository(c.path("image").asText()), k -> new TreeSet<>());
          List<JsonNode> words = new ArrayList<>();
          c.path("command").forEach(words::add);
          c.path("args").forEach(words::add);
          for (JsonNode w : words) {
            String s = w.asText();
            if (s.startsWith("--")) {
              set.add(ImageContract.bare(s));
            }
          }
        }
      }
    }
    return flags;
  }
}
