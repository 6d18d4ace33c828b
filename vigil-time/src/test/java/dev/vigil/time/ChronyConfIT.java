package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendered chrony configurations, read by a real chronyd and run as a hierarchy on loopback. */
class ChronyConfIT {
  @Test
  void realChronydAcceptsTheConfigurationOfEveryNode(@TempDir Path dir) throws Exception {
    Path chronyd = Tools.require("chronyd", "chrony");
    for (String time : new String[] {"", "time:\n  hierarchy: flat"}) {
      Station s = ChronyConfTest.station(time);
      for (Node n : s.nodes()) {
        Path conf = dir.resolve(n.name() + ".conf");
        Files.writeString(
            conf, ChronyConf.forNode(s.time(), s.nodes(), n, ChronyConf.Options.DEFAULTS));
        // -p parses the whole file, prints it and exits; any unknown directive or bad argument
        // fails.
        Tools.Run r = Tools.run(dir, 10, chronyd.toString(), "-p", "-f", conf.toString());
        assertThat(r.exitCode()).as(n.name() + ":\n" + r.output()).isZero();
        assertThat(r.output()).contains("makestep 1.0 3").contains("rtcsync");
      }
    }
  }

  @Test
  void workersFollowTheControlPlaneWhichFollowsUpstream(@TempDir Path dir) throws Exception {
    try (LyingNtpServer upstream = LyingNtpServer.withOffset(0.5)) {
      int cpPort = ChronydServer.freeUdpPort();
      int workerPort = ChronydServer.freeUdpPort();
      String yaml =
          String.join("\n", "time:", "  upstream: ['" + upstream.hostPort() + "']", "")
              .replace("\ntime:", "time:");
      Station s = stationOnLoopback(yaml);
      Node cp = ChronyConfTest.node(s, "masternode");
      Node worker = ChronyConfTest.node(s, "homelab");
      String cpConf =
          ChronyConf.forNode(
                  s.time(),
                  s.nodes(),
                  cp,
                  new ChronyConf.Options(
                      cpPort, cpPort, dir.resolve("cp.drift").toString(), "127.0.0.2", 0))
              // chrony tells sources apart by address: the control plane must not share
              // 127.0.0.1 with the upstream server, and sends from its own address.
              + "bindacqaddress 127.0.0.2\n";
      try (ChronydServer cpd = ChronydServer.startWithConfig(cpConf, cpPort)) {
        Chronyc cpc = new Chronyc(cpd.chronycCommand(), Duration.ofSeconds(5));
        Awaitility.await("control plane syncs upstream")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> cpc.tracking().stratum() == 3);
        String workerConf =
            ChronyConf.forNode(
                    s.time(),
                    s.nodes(),
                    worker,
                    new ChronyConf.Options(
                        workerPort, cpPort, dir.resolve("w.drift").toString(), "127.0.0.3", 0))
                // Send requests from the worker's own loopback address, which the control plane
                // allows.
                + "bindacqaddress 127.0.0.3\n";
        try (ChronydServer wd = ChronydServer.startWithConfig(workerConf, workerPort)) {
          Chronyc wc = new Chronyc(wd.chronycCommand(), Duration.ofSeconds(5));
          Awaitility.await("worker syncs to the control plane")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> wc.tracking().stratum() == 4);
          ChronyTracking t = wc.tracking();
          assertThat(t.referenceName()).isEqualTo("127.0.0.2");
          // Both run with -x, so each keeps reporting the 0.5 s it cannot correct.
          assertThat(t.systemTimeSeconds()).isCloseTo(0.5, within(0.005));
          assertThat(wc.sources())
              .anySatisfy(
                  src -> {
                    assertThat(src.stratum()).isEqualTo(3);
                    assertThat(src.state()).isEqualTo(ChronySource.State.SELECTED);
                  });
        }
      }
    }
  }

  private static Station stationOnLoopback(String timeSection) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: vigil.dev/v1",
            "kind: Station",
            "cluster:",
            "  name: loopback",
            "nodes:",
            "  - name: masternode",
            "    address: 127.0.0.2",
            "    role: control-plane",
            "  - name: homelab",
            "    address: 127.0.0.3",
            timeSection,
            "");
    return dev.vigil.spec.SpecLoader.load(
            java.util.List.of(new dev.vigil.spec.bind.Source("vigil.yaml", yaml)))
        .orThrow();
  }
}
