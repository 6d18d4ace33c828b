package dev.vigil.render.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.DebianBuilds;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SNMP exporter's rendered pieces against real programs: the init container's script run by a
 * real POSIX shell (Debian's dash here, busybox ash in the image), and what it writes used to poll
 * a real net-snmp agent through Debian's snmp_exporter.
 *
 * <p>Debian's exporter is 0.21.0, older than the auths/modules split of 0.23.0, so it cannot load
 * the pinned image's configuration. What it can check is everything else the rules rely on: each
 * auth entry the script writes is transplanted unchanged as a 0.21 module's {@code auth} (the keys
 * are the same), and the module is written from the OIDs, types and lookups the contract records
 * for the image's if_mib and system modules. The metrics the rules and the dashboard read then come
 * back from a real agent with the types and labels the contract claims; wrong credentials give the
 * HTTP 500 that makes the target's {@code up} 0 (SnmpDeviceDown).
 */
class SnmpExporterIT {
  private static final String COMMUNITY = "vigil-lan-ro";
  private static final String AUTH_PASSWORD = "auth-pass-4u";
  private static final String PRIV_PASSWORD = "priv-pass-4u";
  private static final Pattern OID = Pattern.compile("oid ([0-9.]+)");
  private static final Pattern LOOKUP = Pattern.compile("(ifAlias|ifDescr|ifName) oid ([0-9.]+)");
  private static final Pattern WALKS = Pattern.compile("^walks ([0-9.]+(?: and [0-9.]+)*)");
  private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");

  @TempDir static Path dir;
  private static LiveProcess snmpd;
  private static Container init;
  private static Container exporterContainer;
  private static ImageContract contract;

  @BeforeAll
  static void startAgent() throws Exception {
    Path bin = Tools.require("snmpd", "snmpd");
    RenderedStack stack =
        new StackRenderer().render(TestStations.with(SnmpExporterRendererTest.example()));
    var pod =
        stack.components().get(SnmpExporterRenderer.NAME).objects().stream()
            .filter(o -> o instanceof Deployment)
            .map(o -> ((Deployment) o).getSpec().getTemplate().getSpec())
            .findFirst()
            .orElseThrow();
    init = pod.getInitContainers().get(0);
    exporterContainer = pod.getContainers().get(0);
    contract =
        Contracts.load()
            .forImage(ComponentRegistry.load().images().get("snmp-exporter"))
            .orElseThrow();
    int port = LiveProcess.freePort();
    Files.createDirectories(dir.resolve("persist"));
    // The v3 user is the example's fw-v3 (SHA, AES); TCP on the same port only tells the test the
    // agent is up, the exporter polls over UDP.
    Path conf = dir.resolve("snmpd.conf");
    Files.writeString(
        conf,
        "agentAddress udp:127.0.0.1:"
            + port
            + ",tcp:127.0.0.1:"
            + port
            + "\npersistentDir "
            + dir.resolve("persist")
            + "\nrocommunity "
            + COMMUNITY
            + " 127.0.0.1\ncreateUser vigil SHA \""
            + AUTH_PASSWORD
            + "\" AES \""
            + PRIV_PASSWORD
            + "\"\nrouser vigil priv\nsysName vigil-test-agent\n");
    snmpd =
        LiveProcess.tcp(
            "snmpd",
            dir,
            port,
            Duration.ofSeconds(60),
            Map.of("MIBS", ""),
            List.of(bin.toString(), "-f", "-Lo", "-C", "-c", conf.toString()));
  }

  @AfterAll
  static void stop() {
    if (snmpd != null) {
      snmpd.close();
    }
  }

  /** Runs the rendered script with its directory moved under {@code out}; returns the run. */
  private static Tools.Run runScript(Path out, Map<String, String> secrets) throws Exception {
    Files.createDirectories(out);
    String script = init.getCommand().get(2).replace(SnmpExporterRenderer.AUTH_DIR, out.toString());
    List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=/usr/bin:/bin"));
    secrets.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of("/bin/sh", "-c", script));
    return Tools.run(out, 60, command);
  }

  private static Map<String, String> secrets(String community) {
    Map<String, String> env = new TreeMap<>();
    env.put("SNMP_AUTH_LAN_V2_COMMUNITY", community);
    env.put("SNMP_AUTH_FW_V3_AUTH_PASSWORD", AUTH_PASSWORD + "\n");
    env.put("SNMP_AUTH_FW_V3_PRIV_PASSWORD", PRIV_PASSWORD);
    return env;
  }

  @Test
  void theScriptWritesTheAuthsFileWithEveryValueQuoted() throws Exception {
    String tricky = "it's a $secret %s \\ \"quoted\"";
    Path out = dir.resolve("tricky");
    Tools.Run run = runScript(out, secrets(tricky + "\n"));
    assertThat(run.ok()).as(run.output()).isTrue();
    JsonNode auths =
        Yaml.mapper().readTree(Files.readString(out.resolve("auths.yml"))).path("auths");
    assertThat(auths.path("lan-v2").path("version").asInt()).isEqualTo(2);
    // The Secret's trailing newline is dropped; everything else arrives as it was.
    assertThat(auths.path("lan-v2").path("community").asText()).isEqualTo(tricky);
    JsonNode v3 = auths.path("fw-v3");
    assertThat(v3.path("version").asInt()).isEqualTo(3);
    assertThat(v3.path("username").asText()).isEqualTo("vigil");
    assertThat(v3.path("security_level").asText()).isEqualTo("authPriv");
    assertThat(v3.path("auth_protocol").asText()).isEqualTo("SHA");
    assertThat(v3.path("password").asText()).isEqualTo(AUTH_PASSWORD);
    assertThat(v3.path("priv_protocol").asText()).isEqualTo("AES");
    assertThat(v3.path("priv_password").asText()).isEqualTo(PRIV_PASSWORD);
    assertThat(out.resolve("auths.yml.new")).doesNotExist();

    // Every key written is one the pinned version's Auth defines, as its contract records.
    Set<String> known = new TreeSet<>();
    for (ImageContract.ConfigKey k : contract.configKeys()) {
      if (k.path().startsWith("auths.<name>.")) {
        for (String key : k.path().substring("auths.<name>.".length()).split(",\\s*")) {
          known.add(key);
        }
      }
    }
    assertThat(known).contains("version", "community", "password", "priv_password");
    auths.forEach(
        a -> a.fieldNames().forEachRemaining(key -> assertThat(known).as(key).contains(key)));
  }

  @Test
  void anEmptyOrMultiLineSecretStopsTheScriptBeforeAnyFileIsInPlace() throws Exception {
    for (String bad : List.of("", "\n", "two\nlines")) {
      Path out = dir.resolve("bad-" + bad.length());
      Tools.Run run = runScript(out, secrets(bad));
      assertThat(run.ok()).as("value %s", bad.replace("\n", "\\n")).isFalse();
      assertThat(run.output()).contains("the Secret value for lan-v2.community");
      assertThat(out.resolve("auths.yml")).doesNotExist();
    }
  }

  @Test
  void debianExporterPollsARealAgentWithWhatTheScriptWrote() throws Exception {
    Path exporter = Tools.require("prometheus-snmp-exporter", "prometheus-snmp-exporter");
    Set<String> flags = new TreeSet<>();
    exporterContainer.getArgs().forEach(a -> flags.add(ImageContract.bare(a)));
    DebianBuilds.checkFlags(contract, exporter, flags);
    Path out = dir.resolve("poll");
    Tools.Run run = runScript(out, secrets(COMMUNITY));
    assertThat(run.ok()).as(run.output()).isTrue();
    JsonNode auths =
        Yaml.mapper().readTree(Files.readString(out.resolve("auths.yml"))).path("auths");

    Map<String, ImageContract.Metric> read = metricsReadByRulesAndDashboard();
    assertThat(read.keySet())
        .contains("ifOperStatus", "ifAdminStatus", "ifHCInOctets", "ifHighSpeed", "sysUpTime");
    Map<String, Object> modules = new LinkedHashMap<>();
    for (String name : List.of("lan-v2", "fw-v3")) {
      Map<String, Object> auth = new LinkedHashMap<>();
      JsonNode written = auths.path(name);
      written
          .fieldNames()
          .forEachRemaining(
              k -> {
                if (!k.equals("version")) {
                  auth.put(k, written.get(k).asText());
                }
              });
      modules.put(name, module(written.path("version").asInt(), auth, read.values()));
    }
    Map<String, Object> wrong = new LinkedHashMap<>();
    wrong.put("community", "not-" + COMMUNITY);
    Map<String, Object> refusing = module(2, wrong, read.values());
    refusing.put("timeout", "1s");
    modules.put("wrong", refusing);
    Path config = dir.resolve("snmp-0.21.yml");
    Files.writeString(config, Yaml.write(modules));

    int port = LiveProcess.freePort();
    try (LiveProcess exp =
        LiveProcess.http(
            "snmp-exporter",
            dir,
            port,
            "/metrics",
            Duration.ofSeconds(60),
            Map.of(),
            List.of(
                exporter.toString(),
                "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port))) {
      for (String module : List.of("lan-v2", "fw-v3")) {
        HttpResponse<String> r = exp.get("/snmp?target=" + snmpd.address() + "&module=" + module);
        assertThat(r.statusCode()).as(module + ": " + r.body()).isEqualTo(200);
        Map<String, String> types = new TreeMap<>();
        Matcher m = TYPE_LINE.matcher(r.body());
        while (m.find()) {
          types.put(m.group(1), m.group(2));
        }
        for (ImageContract.Metric metric : read.values()) {
          assertThat(types.get(metric.name()))
              .as("%s over %s", metric.name(), module)
              .isEqualTo(metric.type());
        }
        // Interface series carry the lookups the alerts and panels name; lo is up (1).
        Matcher lo =
            Pattern.compile("(?m)^ifOperStatus\\{([^}]*ifDescr=\"lo\"[^}]*)\\} (\\S+)$")
                .matcher(r.body());
        assertThat(lo.find()).as(r.body()).isTrue();
        assertThat(lo.group(1)).contains("ifIndex=\"", "ifName=\"lo\"", "ifAlias=\"");
        assertThat(Double.parseDouble(lo.group(2))).isEqualTo(1.0);
        assertThat(r.body()).containsPattern("(?m)^sysUpTime \\d");
      }
      HttpResponse<String> refused = exp.get("/snmp?target=" + snmpd.address() + "&module=wrong");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
      assertThat(refused.body()).contains("request timeout");
    }
    System.out.println(
        "polled net-snmp "
            + Tools.run(dir, 30, "/usr/sbin/snmpd", "-v")
                .output()
                .lines()
                .filter(l -> l.contains("version"))
                .findFirst()
                .orElse("?")
                .trim()
            + " with "
            + Tools.run(dir, 30, exporter.toString(), "--version")
                .output()
                .lines()
                .findFirst()
                .orElse("?"));
  }

  /**
   * The contract's module metrics (if_mib, system) whose names the rule file or the dashboard
   * reads.
   */
  private static Map<String, ImageContract.Metric> metricsReadByRulesAndDashboard()
      throws IOException {
    String text;
    try (InputStream in = SnmpExporterRenderer.class.getResourceAsStream("snmp.rules.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text += new NetworkDevicesDashboard().build(Set.of(SnmpExporterRenderer.NAME)).toJson();
    Map<String, ImageContract.Metric> read = new TreeMap<>();
    for (ImageContract.Metric m : Contracts.load().metricsOf(contract)) {
      if (m.collector() != null
          && m.collector().startsWith("module ")
          && Pattern.compile("\\b" + m.name() + "\\b").matcher(text).find()) {
        read.put(m.name(), m);
      }
    }
    return read;
  }

  private static String moduleNote(String module) {
    return contract.configKeys().stream()
        .filter(k -> k.path().equals("modules." + module))
        .findFirst()
        .orElseThrow()
        .note();
  }

  /** A module in 0.21's format (auth inside), written from the contract's OIDs and lookups. */
  private static Map<String, Object> module(
      int version, Map<String, Object> auth, Iterable<ImageContract.Metric> metrics) {
    String ifMib = moduleNote("if_mib");
    List<String> walks = new ArrayList<>();
    for (String note : List.of(ifMib, moduleNote("system"))) {
      Matcher w = WALKS.matcher(note);
      assertThat(w.find()).as(note).isTrue();
      walks.addAll(List.of(w.group(1).split(" and ")));
    }
    List<Map<String, Object>> lookups = new ArrayList<>();
    Matcher l = LOOKUP.matcher(ifMib);
    while (l.find()) {
      lookups.add(
          Map.of(
              "labels", List.of("ifIndex"),
              "labelname", l.group(1),
              "oid", l.group(2),
              "type", "DisplayString"));
    }
    assertThat(lookups).hasSize(3);
    List<Map<String, Object>> out = new ArrayList<>();
    for (ImageContract.Metric m : metrics) {
      Matcher oid = OID.matcher(m.note());
      assertThat(oid.find()).as(m.name()).isTrue();
      Map<String, Object> metric = new LinkedHashMap<>();
      metric.put("name", m.name());
      metric.put("oid", oid.group(1));
      metric.put("type", m.type());
      if (m.labels().contains("ifIndex")) {
        metric.put("indexes", List.of(Map.of("labelname", "ifIndex", "type", "gauge")));
        metric.put("lookups", lookups);
      }
      out.add(metric);
    }
    Map<String, Object> module = new LinkedHashMap<>();
    module.put("walk", walks);
    module.put("version", version);
    module.put("auth", auth);
    module.put("retries", 1);
    module.put("timeout", "10s");
    module.put("metrics", out);
    return module;
  }
}
