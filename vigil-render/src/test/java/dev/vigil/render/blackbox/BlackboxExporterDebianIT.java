package dev.vigil.render.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.DebianBuilds;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.render.live.LiveProcess;
import dev.vigil.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blackbox exporter's contract held against Debian's build of it, with Vigil's modules. */
class BlackboxExporterDebianIT {
  @TempDir Path dir;

  /**
   * The blackbox exporter of a station that probes a TLS endpoint with its own CA: the flags the
   * rendered Deployment passes, and the probe_* families Vigil queries, which exist only in a
   * /probe answer. The TLS endpoint is a real openssl s_server on loopback with a certificate from
   * a CA made here, mounted (as the pod would mount its Secret) in the test's directory.
   */
  @Test
  void debianBuildAcceptsWhatVigilRendersAndExposesWhatItQueries() throws Exception {
    Path bin = Tools.require("prometheus-blackbox-exporter", "prometheus-blackbox-exporter");
    Path openssl = Tools.require("openssl", "openssl");
    ImageContract contract = Contracts.load().byName("blackbox-exporter").orElseThrow();
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
    int tlsPort = LiveProcess.freePort();
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
    DebianBuilds.checkFlags(contract, bin, used);
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
    int port = LiveProcess.freePort();
    try (LiveProcess bb =
        LiveProcess.http(
            "blackbox-exporter",
            dir,
            port,
            "/metrics",
            Duration.ofSeconds(60),
            Map.of(),
            List.of(
                bin.toString(),
                "--config.file=" + dir.resolve("blackbox.yml"),
                "--web.listen-address=127.0.0.1:" + port))) {
      Map<String, String> scraped = new TreeMap<>(DebianBuilds.types(bb.get("/metrics").body()));
      String probe =
          Awaitility.await("a successful TLS probe of the s_server")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> bb.get("/probe?module=tls-local-tls&target=localhost:" + tlsPort).body(),
                  b -> b.contains("probe_success 1"));
      scraped.putAll(DebianBuilds.types(probe));
      assertThat(probe).contains("probe_ssl_earliest_cert_expiry");
      DebianBuilds.checkMetrics(contract, DebianBuilds.version(bin), scraped, m -> null);
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
}
