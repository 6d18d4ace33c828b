package dev.vigil.render.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.Yaml;
import dev.vigil.render.live.LiveKdc;
import dev.vigil.render.live.LiveNginx;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.render.live.LivePrometheus;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeIPA's probes as rendered, run by Debian's blackbox exporter (0.23) against real servers that
 * speak FreeIPA's protocols, all on loopback: slapd for LDAP and LDAPS (certificate from a CA made
 * here, which is the "Secret" the probes trust), krb5kdc for the Kerberos port, nginx for the web
 * UI over HTTPS. Then a real Prometheus scrapes the rendered probe job (targets pointed at the
 * loopback servers) with the rendered blackbox and FreeIPA rules: stopping the directory fires
 * ProbeFailed for LDAP and LDAPS, stopping everything fires FreeIpaDown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityProbesIT {
  private static final String CA_MOUNT = "/etc/blackbox-exporter/ca/freeipa-ca/ca.crt";

  @TempDir static Path dir;

  private static Slapd slapd;
  private static LiveProcess kdc;
  private static LiveProcess nginx;
  private static LiveProcess blackbox;
  private static LivePrometheus prometheus;
  private static RenderedStack stack;
  private static int httpsPort;
  private static int plainPort;
  private static int foreignTlsPort;
  private static Slapd.TestCa ca;

  @BeforeAll
  static void startServers() throws Exception {
    ca = Slapd.TestCa.create(dir.resolve("ca"), 20);
    Slapd.TestCa foreign = Slapd.TestCa.create(dir.resolve("foreign-ca"), 20);
    slapd = Slapd.start(Files.createDirectories(dir.resolve("slapd")), ca).withFreeIpaTree();
    kdc = LiveKdc.start(dir.resolve("kdc"), "VMSTATION.LOCAL");
    httpsPort = LiveProcess.freePort();
    plainPort = LiveProcess.freePort();
    foreignTlsPort = LiveProcess.freePort();
    nginx =
        LiveNginx.start(
            Files.createDirectories(dir.resolve("nginx")),
            "worker_connections 64;",
            "  server { listen 127.0.0.1:"
                + httpsPort
                + " ssl; ssl_certificate "
                + ca.serverCert()
                + "; ssl_certificate_key "
                + ca.serverKey()
                + ";\n    location = / { return 301 /ipa/ui/; }\n    location /ipa/ui/ { return 200 'FreeIPA'; } }\n"
                + "  server { listen 127.0.0.1:"
                + plainPort
                + "; location / { return 200 'plain'; } }\n"
                + "  server { listen 127.0.0.1:"
                + foreignTlsPort
                + " ssl; ssl_certificate "
                + foreign.serverCert()
                + "; ssl_certificate_key "
                + foreign.serverKey()
                + "; location / { return 200 'foreign'; } }\n",
            httpsPort);
    stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "identity:\n  freeipa:\n    deploy: false\n    realm: VMSTATION.LOCAL\n"
                        + "    host: localhost\n    ca: {secret: {name: freeipa-ca, key: ca.crt}}\n"));
    ConfigMap cm =
        (ConfigMap)
            stack.components().get("blackbox-exporter").objects().stream()
                .filter(o -> o instanceof ConfigMap)
                .findFirst()
                .orElseThrow();
    String config = cm.getData().get("blackbox.yml");
    assertThat(config).contains(CA_MOUNT);
    // The pod mounts the CA Secret there; here the CA file is the test's.
    Files.writeString(
        dir.resolve("blackbox.yml"), config.replace(CA_MOUNT, ca.caCert().toString()));
    Path bin = Tools.require("prometheus-blackbox-exporter", "prometheus-blackbox-exporter");
    int port = LiveProcess.freePort();
    blackbox =
        LiveProcess.http(
            "blackbox-exporter",
            dir,
            port,
            "/metrics",
            Duration.ofSeconds(30),
            Map.of(),
            List.of(
                bin.toString(),
                "--config.file=" + dir.resolve("blackbox.yml"),
                "--web.listen-address=127.0.0.1:" + port));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, blackbox, nginx, kdc, slapd}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Closing the others matters more.
      }
    }
  }

  private static String probe(String module, String target) throws Exception {
    return blackbox
        .get("/probe?module=" + module + "&target=" + java.net.URLEncoder.encode(target, "UTF-8"))
        .body();
  }

  private static boolean succeeded(String probe) {
    return probe.lines().anyMatch(l -> l.equals("probe_success 1"));
  }

  @Test
  @Order(1)
  void everyFreeIpaModuleSucceedsAgainstTheServerItChecks() throws Exception {
    assertThat(probe("tcp", kdc.address()))
        .satisfies(p -> assertThat(succeeded(p)).as("kerberos\n" + p).isTrue());
    assertThat(probe("ldap", "127.0.0.1:" + slapd.ldapPort))
        .satisfies(p -> assertThat(succeeded(p)).as("ldap\n" + p).isTrue());
    String ldaps = probe("ldaps-freeipa-ldaps", "localhost:" + slapd.ldapsPort);
    assertThat(succeeded(ldaps)).as("ldaps\n" + ldaps).isTrue();
    String web = probe("https-freeipa-web", "https://localhost:" + httpsPort + "/ipa/ui/");
    assertThat(succeeded(web)).as("web\n" + web).isTrue();
    // The expiry the probe reports is the server certificate's, which the CA made for 20 days.
    long notAfter;
    try (InputStream in = Files.newInputStream(ca.serverCert())) {
      notAfter =
          ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                  .getNotAfter()
                  .getTime()
              / 1000;
    }
    for (String p : List.of(ldaps, web)) {
      String line =
          p.lines()
              .filter(l -> l.startsWith("probe_ssl_earliest_cert_expiry "))
              .findFirst()
              .orElseThrow();
      assertThat((long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
          .isEqualTo(notAfter);
    }
  }

  @Test
  @Order(2)
  void modulesFailWhereTheProtocolOrTheCertificateIsWrong() throws Exception {
    // An HTTP server is not an LDAP server, on either module.
    assertThat(succeeded(probe("ldap", "127.0.0.1:" + plainPort))).isFalse();
    // A certificate from another CA, and the right certificate under a name it does not carry.
    assertThat(succeeded(probe("ldaps-freeipa-ldaps", "localhost:" + foreignTlsPort))).isFalse();
    assertThat(succeeded(probe("https-freeipa-web", "https://127.0.0.2:" + httpsPort + "/ipa/ui/")))
        .isFalse();
    // Plain HTTP where HTTPS is expected.
    assertThat(succeeded(probe("https-freeipa-web", "http://localhost:" + plainPort + "/")))
        .isFalse();
    // Nothing listening.
    assertThat(succeeded(probe("tcp", "127.0.0.1:" + LiveProcess.freePort()))).isFalse();
  }

  @Test
  @Order(3)
  void theRenderedJobAndRulesSeeAHealthyFreeIpaAndItsCertificate() throws Exception {
    prometheus =
        LivePrometheus.start(
            Files.createDirectories(dir.resolve("prometheus")),
            Map.of(
                "blackbox.rules.yaml",
                stack.contributions().allRuleFiles().get("blackbox.rules.yaml"),
                "freeipa.rules.yaml",
                stack.contributions().allRuleFiles().get("freeipa.rules.yaml")),
            List.of(probeJob()));
    prometheus.awaitUp("blackbox", 4, Duration.ofSeconds(60));
    org.awaitility.Awaitility.await("every FreeIPA probe succeeding")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                prometheus.query("probe_success{job=\"blackbox\", service=\"freeipa\"} == 1").size()
                    == 4);
    // 20 days left: the warning (30 days) fires, the critical (7 days) does not.
    Map<String, String> warning =
        prometheus.awaitFiring(
            "ProbeCertificateExpiring",
            Map.of("severity", "warning", "probe", "freeipa-ldaps"),
            Duration.ofSeconds(60));
    assertThat(warning)
        .containsEntry("instance", "localhost:" + slapd.ldapsPort)
        .containsEntry("service", "freeipa");
    assertThat(prometheus.firing("ProbeCertificateExpiring"))
        .noneMatch(l -> l.get("severity").equals("critical"));
    assertThat(prometheus.firing("ProbeFailed")).isEmpty();
    assertThat(prometheus.firing("FreeIpaDown")).isEmpty();
    assertThat(prometheus.ruleErrors()).isEmpty();
  }

  @Test
  @Order(4)
  void aStoppedDirectoryFailsItsProbesButIsNotFreeIpaDown() throws Exception {
    slapd.close();
    prometheus.awaitFiring(
        "ProbeFailed",
        Map.of("probe", "freeipa-ldap", "severity", "warning"),
        Duration.ofSeconds(60));
    prometheus.awaitFiring(
        "ProbeFailed",
        Map.of("probe", "freeipa-ldaps", "service", "freeipa"),
        Duration.ofSeconds(60));
    assertThat(prometheus.firing("ProbeFailed"))
        .extracting(l -> l.get("probe"))
        .doesNotContain("freeipa-kerberos", "freeipa-web");
    assertThat(prometheus.firing("FreeIpaDown")).isEmpty();
  }

  @Test
  @Order(5)
  void withEveryServiceGoneFreeIpaIsDown() throws Exception {
    kdc.close();
    nginx.close();
    Map<String, String> down =
        prometheus.awaitFiring(
            "FreeIpaDown", Map.of("severity", "critical"), Duration.ofSeconds(60));
    assertThat(down).containsEntry("service", "freeipa").containsEntry("team", "platform");
  }

  /**
   * The rendered probe job, its targets pointed at the loopback servers and its address at the
   * exporter.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> probeJob() throws Exception {
    Map<String, Object> rendered =
        stack.contributions().scrapeJobs().get("blackbox-exporter").stream()
            .filter(j -> j.get("job_name").equals("blackbox"))
            .findFirst()
            .orElseThrow();
    Map<String, Object> job = Yaml.mapper().readValue(Yaml.write(rendered), LinkedHashMap.class);
    Map<String, String> targets =
        Map.of(
            "freeipa-kerberos", kdc.address(),
            "freeipa-ldap", "127.0.0.1:" + slapd.ldapPort,
            "freeipa-ldaps", "localhost:" + slapd.ldapsPort,
            "freeipa-web", "https://localhost:" + httpsPort + "/ipa/ui/");
    for (Map<String, Object> group : (List<Map<String, Object>>) job.get("static_configs")) {
      String probe = String.valueOf(((Map<String, Object>) group.get("labels")).get("probe"));
      group.put("targets", List.of(targets.get(probe)));
    }
    List<Map<String, Object>> relabel =
        new ArrayList<>((List<Map<String, Object>>) job.get("relabel_configs"));
    Map<String, Object> address = relabel.get(relabel.size() - 1);
    assertThat(address.get("target_label")).isEqualTo("__address__");
    address.put("replacement", blackbox.address());
    job.put("scrape_interval", "2s");
    job.put("scrape_timeout", "2s");
    return job;
  }
}
