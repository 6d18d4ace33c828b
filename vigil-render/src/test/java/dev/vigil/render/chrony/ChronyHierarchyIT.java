package dev.vigil.render.chrony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.TestStations;
import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered chrony.conf files run by the real chronyd, as the hierarchy they describe: a
 * stratum-1 "upstream" server, the control-plane tier following it, the cluster tier following the
 * control plane — on three loopback addresses, with {@code -x} so no clock is touched. The test
 * changes only what cannot run here as rendered: the address and NTP port each chronyd listens on
 * (123 is the host's), hence the port in the cluster tier's server line, and the drift file path.
 */
class ChronyHierarchyIT {
  private static final List<ChronydServer> started = new ArrayList<>();
  private static Path drift;

  @BeforeAll
  static void tools() {
    Tools.require("chronyd", "chrony");
  }

  @AfterAll
  static void stop() throws IOException {
    started.forEach(ChronydServer::close);
    if (drift != null) {
      try (var files = Files.walk(drift)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static String config(ComponentOutput out, String name) {
    return out.objects().stream()
        .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
        .map(o -> ((ConfigMap) o).getData().get("chrony.conf"))
        .findFirst()
        .orElseThrow();
  }

  /** The rendered config, listening on {@code port} on loopback, drift file in a temp dir. */
  private static ChronydServer run(String rendered, String address, Path driftDir)
      throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = ChronydServer.freeUdpPort();
      String body =
          rendered.replace(
                  "driftfile " + ChronyConfig.STATE_DIR + "/chrony.drift",
                  "driftfile " + driftDir.resolve("drift-" + port))
              + "port "
              + port
              + "\nbindaddress "
              + address
              + "\n";
      try {
        ChronydServer s = ChronydServer.startWithConfig(body, port);
        started.add(s);
        return s;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static String tracking(ChronydServer s) {
    List<String> cmd = new ArrayList<>(s.chronycCommand());
    cmd.addAll(List.of("-c", "tracking"));
    Tools.Run run = Tools.run(null, 10, cmd.toArray(String[]::new));
    return run.ok() ? run.output().strip() : "";
  }

  /** Field 3 of {@code chronyc -c tracking}: the stratum. */
  private static int stratum(String tracking) {
    String[] f = tracking.split(",");
    return f.length > 2 ? Integer.parseInt(f[2]) : -1;
  }

  @Test
  void controlPlaneFollowsUpstreamAndTheClusterTierFollowsTheControlPlane() throws IOException {
    // Three loopback addresses, one per tier: NTP loop detection rejects a server whose reference
    // is the client's own address, as it would be if every tier were 127.0.0.1.
    drift = Files.createTempDirectory("vigil-chrony-drift-");
    ChronydServer upstream =
        run(
            "local stratum 1\nallow 127.0.0.0/8\ndriftfile "
                + ChronyConfig.STATE_DIR
                + "/chrony.drift\n",
            "127.0.0.3",
            drift);
    String upstreamServer = "127.0.0.3:" + upstream.ntpPort();
    String station =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: loopback}\n"
            + "nodes:\n"
            + "  - {name: cp, address: 127.0.0.1, role: control-plane}\n"
            + "  - {name: worker, address: 127.0.0.2}\n"
            + "time:\n  upstream: ['"
            + upstreamServer
            + "']\n";
    ComponentOutput out = new ComponentOutput(ChronyRenderer.NAME);
    new ChronyRenderer().render(TestStations.context(TestStations.of(station)), out);
    String cpConf = config(out, "chrony-upstream");
    String clusterConf = config(out, "chrony-cluster");
    assertThat(cpConf).contains("server 127.0.0.3 port " + upstream.ntpPort() + " iburst\n");
    assertThat(clusterConf.lines().filter(l -> l.startsWith("server ")))
        .containsExactly("server 127.0.0.1 iburst");
    assertThat(clusterConf).contains("allow 127.0.0.0/24\n");

    ChronydServer cp = run(cpConf, "127.0.0.1", drift);
    // iburst: the first four exchanges are two seconds apart, so a tier syncs within seconds of
    // its server being synchronised. The cluster tier starts once the control plane is, as a
    // node booting after its control plane would; its iburst then meets a synchronised server.
    Awaitility.await("control-plane tier synchronised to the upstream server")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> stratum(tracking(cp)) == 2);
    ChronydServer cluster =
        run(
            clusterConf.replace(
                "server 127.0.0.1 iburst", "server 127.0.0.1 port " + cp.ntpPort() + " iburst"),
            "127.0.0.2",
            drift);
    Awaitility.await("cluster tier synchronised to the control-plane tier")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> stratum(tracking(cluster)) == 3);
    // References: the control plane follows the upstream server, the cluster tier the control
    // plane (field 2 of the tracking report is the reference's address).
    assertThat(tracking(cp).split(",")[1]).isEqualTo("127.0.0.3");
    assertThat(tracking(cluster).split(",")[1]).isEqualTo("127.0.0.1");
    assertThat(Pattern.compile("(?m)^rtcsync$").matcher(clusterConf).find()).isTrue();
    assertThat(cp.log()).doesNotContain("Fatal");
  }
}
