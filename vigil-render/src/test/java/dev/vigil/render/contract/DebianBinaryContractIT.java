package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Debian builds of Prometheus, Alertmanager, node-exporter and ipmi-exporter and holds the
 * contracts of the pinned images against them: every flag Vigil's rendered manifests pass and every
 * metric its rules and dashboards query must exist in the Debian build too, unless the contract
 * records that it came later ({@code since}). Debian's builds are older than the pins, so a name
 * that exists in both is unlikely to be a typo in the contract.
 */
class DebianBinaryContractIT {
  private static final Path REPO = Path.of("..");
  private static final Path GOLDEN = REPO.resolve("vigil-cli/src/test/resources/golden");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern HELP_FLAG = Pattern.compile("--(?:\\[no-])?([a-zA-Z0-9][\\w.-]*)");
  private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");

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
  private static String queries;

  @TempDir Path dir;

  @BeforeAll
  static void readVigilOutput() throws IOException {
    contracts = Contracts.load();
    flagsByRepository = renderedFlags();
    queries = rulesAndDashboards();
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
      checkMetrics(contract, version(bin), types(prometheus.metrics()));
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
      checkMetrics(contract, version(bin), types(am.metrics()));
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
      checkMetrics(contract, version(bin), types(ne.metrics()));
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
      Map<String, String> scraped = types(ipmi.metrics());
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
      checkMetrics(contract, version(bin), scraped);
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

  /**
   * The blackbox exporter of a station that probes a TLS endpoint with its own CA: the flags the
   * rendered Deployment passes, and the probe_* families Vigil queries, which exist only in a
   * /probe answer. The TLS endpoint is a real openssl s_server on loopback with a certificate from
   * a CA made here, mounted (as the pod would mount its Secret) in the test's directory.
   */
  @Test
  void blackboxExporterAcceptsWhatVigilUses() throws Exception {
    Path bin = Tools.require("prometheus-blackbox-exporter", "prometheus-blackbox-exporter");
    Path openssl = Tools.require("openssl", "openssl");
    ImageContract contract = contracts.byName("blackbox-exporter").orElseThrow();
    Path ca = Files.createDirectories(dir.resolve("ca/test-ca"));
    run(
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        dir.resolve("ca.key").toString(),
        "-out",
        ca.resolve("ca.crt").toString(),
        "-days",
        "30",
        "-subj",
        "/CN=Vigil test CA");
    run(
        openssl,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        dir.resolve("server.key").toString(),
        "-out",
        dir.resolve("server.csr").toString(),
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost\n");
    run(
        openssl,
        "x509",
        "-req",
        "-in",
        dir.resolve("server.csr").toString(),
        "-CA",
        ca.resolve("ca.crt").toString(),
        "-CAkey",
        dir.resolve("ca.key").toString(),
        "-CAcreateserial",
        "-out",
        dir.resolve("server.crt").toString(),
        "-days",
        "10",
        "-extfile",
        dir.resolve("san.cnf").toString());
    int tlsPort = RunningBinary.freePort();
    var station =
        dev.vigil.render.TestStations.with(
            "components:\n  blackboxExporter:\n    probes:\n      - name: local-tls\n        module: tls\n"
                + "        targets: ['localhost:"
                + tlsPort
                + "']\n"
                + "        ca: {secret: {name: test-ca, key: ca.crt}}\n");
    var stack = new dev.vigil.render.StackRenderer().render(station);
    Set<String> used = new TreeSet<>();
    String config = null;
    for (var o : stack.components().get("blackbox-exporter").objects()) {
      if (o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
        for (String a : d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()) {
          used.add(ImageContract.bare(a));
        }
      }
      if (o instanceof io.fabric8.kubernetes.api.model.ConfigMap cm
          && cm.getData().containsKey("blackbox.yml")) {
        config = cm.getData().get("blackbox.yml");
      }
    }
    checkFlags(contract, bin, used);
    // The pod mounts the CA Secret under /etc/blackbox-exporter/ca; here it is the test's
    // directory.
    Files.writeString(
        dir.resolve("blackbox.yml"),
        config.replace("/etc/blackbox-exporter/ca/", dir.resolve("ca") + "/"));
    ProcessBuilder server =
        new ProcessBuilder(
                openssl.toString(),
                "s_server",
                "-quiet",
                "-www",
                "-accept",
                "127.0.0.1:" + tlsPort,
                "-cert",
                dir.resolve("server.crt").toString(),
                "-key",
                dir.resolve("server.key").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s_server.log").toFile());
    Process tls = server.start();
    int port = RunningBinary.freePort();
    try (RunningBinary bb =
        RunningBinary.start(
            "blackbox-exporter",
            dir,
            port,
            Map.of(),
            List.of(
                bin.toString(),
                "--config.file=" + dir.resolve("blackbox.yml"),
                "--web.listen-address=127.0.0.1:" + port))) {
      Map<String, String> scraped = new TreeMap<>(types(bb.metrics()));
      String probe =
          Awaitility.await("a successful TLS probe of the s_server")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> bb.get("/probe?module=tls-local-tls&target=localhost:" + tlsPort).body(),
                  b -> b.contains("probe_success 1"));
      scraped.putAll(types(probe));
      assertThat(probe).contains("probe_ssl_earliest_cert_expiry");
      checkMetrics(contract, version(bin), scraped);
    } finally {
      tls.destroy();
      tls.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(Path program, String... args) {
    List<String> command = new ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    Tools.Run r = Tools.run(null, 60, command);
    assertThat(r.ok()).as(String.join(" ", command) + "\n" + r.output()).isTrue();
  }

  /** Flags Vigil passes must be in the contract and in the Debian build (or be newer than it). */
  private static void checkFlags(ImageContract contract, Path bin) {
    checkFlags(contract, bin, flagsByRepository.getOrDefault(contract.image(), Set.of()));
  }

  private static void checkFlags(ImageContract contract, Path bin, Set<String> used) {
    Tools.Run help = Tools.run(null, 30, bin.toString(), "--help");
    assertThat(help.ok()).as(bin + " --help\n" + help.output()).isTrue();
    Set<String> debian = new TreeSet<>();
    Matcher m = HELP_FLAG.matcher(help.output());
    while (m.find()) {
      debian.add(m.group(1));
    }
    assertThat(used).as("flags Vigil renders for " + contract.image()).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (String flag : used) {
      var f = contract.flag(flag);
      if (f.isEmpty()) {
        problems.add(
            "Vigil passes --" + flag + ", which " + contract.reference() + " does not accept");
      } else if (!debian.contains(flag) && f.get().since() == null) {
        problems.add("--" + flag + " is not in " + bin + " --help and the contract has no since:");
      }
    }
    System.out.printf(
        "%s: %d flags Vigil passes checked against %s --help%n",
        contract.image(), used.size(), bin);
    assertThat(problems).isEmpty();
  }

  /** Metrics Vigil queries must be exposed by the Debian build with the same type, or be newer. */
  private void checkMetrics(ImageContract contract, String version, Map<String, String> scraped) {
    List<String> problems = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    int checked = 0;
    for (ImageContract.Metric metric : contracts.metricsOf(contract)) {
      if (!usedByVigil(metric.name())) {
        continue;
      }
      if ("synthetic".equals(metric.collector())) {
        notChecked.add(metric.name() + " (written into the TSDB, not on /metrics)");
        continue;
      }
      if (contract.image().endsWith("ipmi-exporter") && metric.collector() != null) {
        notChecked.add(metric.name() + " (needs a BMC)");
        continue;
      }
      if (contract.image().endsWith("node-exporter")
          && metric.collector() != null
          && HOST_BOUND.containsKey(metric.collector())) {
        notChecked.add(metric.name() + " (" + HOST_BOUND.get(metric.collector()) + ")");
        continue;
      }
      if (contract.image().endsWith("/prometheus")
          && PROMETHEUS_NOT_HERE.containsKey(metric.name())) {
        notChecked.add(metric.name() + " (" + PROMETHEUS_NOT_HERE.get(metric.name()) + ")");
        continue;
      }
      String type = scraped.get(metric.name());
      if (type == null) {
        if (metric.since() == null) {
          problems.add(
              metric.name() + " is not exposed by " + version + " and the contract has no since:");
        }
        continue;
      }
      checked++;
      if (!type.equals(metric.type())) {
        problems.add(
            metric.name()
                + ": "
                + version
                + " exposes a "
                + type
                + ", the contract says "
                + metric.type());
      }
    }
    System.out.printf(
        "%s: %d queried metrics checked against %s; not checkable here: %s%n",
        contract.image(), checked, version, notChecked);
    assertThat(checked).as("metrics Vigil queries that were checked").isPositive();
    assertThat(problems).isEmpty();
  }

  private static boolean usedByVigil(String name) {
    return Pattern.compile("(?<![\\w:])" + Pattern.quote(name) + "(_bucket|_sum|_count)?(?![\\w:])")
        .matcher(queries)
        .find();
  }

  private static Map<String, String> types(String exposition) {
    Map<String, String> types = new TreeMap<>();
    Matcher m = TYPE_LINE.matcher(exposition);
    while (m.find()) {
      types.put(m.group(1), m.group(2));
    }
    return types;
  }

  private static String version(Path bin) {
    Tools.Run v = Tools.run(null, 30, bin.toString(), "--version");
    String first = v.output().lines().findFirst().orElse("?");
    System.out.println("ran " + bin + ": " + first);
    return bin.getFileName() + " (" + first + ")";
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

  /** The text of Vigil's rule files and of every rendered dashboard. */
  private static String rulesAndDashboards() throws IOException {
    List<Path> files = new ArrayList<>();
    // Rule files live beside the renderer of the component that ships them.
    try (Stream<Path> s = Files.walk(Path.of("src/main/resources/dev/vigil/render"))) {
      s.filter(p -> p.toString().endsWith(".rules.yaml")).forEach(files::add);
    }
    try (Stream<Path> s = Files.walk(GOLDEN)) {
      s.filter(p -> p.getFileName().toString().startsWith("configmap-grafana-dashboard-"))
          .forEach(files::add);
    }
    // Dashboard goldens live beside the definitions of their component's dashboards.
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/dev/vigil/render"))) {
      s.filter(p -> p.toString().endsWith(".dashboard.json")).forEach(files::add);
    }
    Set<String> texts = new LinkedHashSet<>();
    for (Path f : files) {
      try {
        texts.add(Files.readString(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(texts).as("rule files and dashboards").hasSizeGreaterThan(10);
    return String.join("\n", texts);
  }
}
