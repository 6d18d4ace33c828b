package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.chrony.ChronyConfig;
import dev.vigil.render.chrony.ChronyConfig.Tier;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Tools;
import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.testing.ntp.LyingNtpServer;
import dev.vigil.time.Chronyc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chrony.conf that `vigil render` puts in the two tiers' ConfigMaps, read by a real chronyd and
 * run as a hierarchy on loopback addresses, then checked with `vigil verify time`.
 */
class RenderedChronyHierarchyIT {
  /**
   * How long a chronyd running the rendered {@code server ... iburst} line may take to select its
   * source, from chrony's own rules (4.3, as Debian ships it): {@code iburst} sends up to 8
   * requests ({@code IBURST_TOTAL_SAMPLES}) at most 2 s apart ({@code MAX_BURST_INTERVAL}) and
   * stops after 4 good answers; a source is selectable with 3 samples ({@code
   * MIN_SAMPLES_FOR_REGRESS}); after the burst it polls every 2^minpoll s, 64 s by default (the
   * rendered config sets no minpoll). An answer later than maxdelay (3 s) is not a good sample,
   * which on a busy machine happens to a burst: when the burst yields 2 or 1 of the 3 samples, the
   * rest come one per 64 s poll. Worst case: the burst (16 s) and two polls (128 s), with 16 s for
   * chronyd's start and the last reply; on an idle machine it takes about 6 s.
   */
  private static final Duration SOURCE_SELECTED = Duration.ofSeconds(16 + 2 * 64 + 16);

  private static final Station STATION =
      SpecLoader.load(
              List.of(
                  new Source(
                      "vigil.yaml",
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
                          ""))))
          .orThrow();

  @Test
  void chronydAcceptsBothRenderedTiers(@TempDir Path dir) throws Exception {
    Path chronyd = Tools.require("chronyd", "chrony");
    List<String> allow = ChronyConfig.allowedSubnets(STATION.nodes());
    for (Tier tier : Tier.values()) {
      Path conf = dir.resolve(tier + ".conf");
      Files.writeString(
          conf, ChronyConfig.render(tier, List.of("time.cloudflare.com", "192.168.4.63"), allow));
      // -p parses the file, prints it and exits: an unknown directive or a bad argument fails it.
      Tools.Run r = Tools.run(dir, 10, chronyd.toString(), "-p", "-f", conf.toString());
      assertThat(r.exitCode()).as(tier + ":\n" + r.output()).isZero();
    }
  }

  @Test
  void workerFollowsTheControlPlaneWhichFollowsUpstream(@TempDir Path dir) throws Exception {
    List<String> allow = ChronyConfig.allowedSubnets(STATION.nodes());
    try (LyingNtpServer upstream = LyingNtpServer.withOffset(0.5)) {
      int cpPort = ChronydServer.freeUdpPort();
      int workerPort = ChronydServer.freeUdpPort();
      String cpConf =
          onLoopback(
              ChronyConfig.render(Tier.UPSTREAM, List.of(upstream.hostPort()), allow),
              "127.0.0.2",
              cpPort,
              dir.resolve("cp.drift"));
      try (ChronydServer cp = ChronydServer.startWithConfig(cpConf, cpPort)) {
        Chronyc cpc = new Chronyc(cp.chronycCommand(), Duration.ofSeconds(5));
        Awaitility.await("control plane follows upstream")
            .atMost(SOURCE_SELECTED)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> cpc.tracking().stratum() == 3);
        String workerConf =
            onLoopback(
                ChronyConfig.render(Tier.CLUSTER, List.of("127.0.0.2:" + cpPort), allow),
                "127.0.0.3",
                workerPort,
                dir.resolve("worker.drift"));
        try (ChronydServer worker = ChronydServer.startWithConfig(workerConf, workerPort)) {
          Chronyc wc = new Chronyc(worker.chronycCommand(), Duration.ofSeconds(5));
          Awaitility.await("worker follows the control plane")
              .atMost(SOURCE_SELECTED)
              .pollInterval(Duration.ofMillis(500))
              .until(() -> wc.tracking().stratum() == 4);
          assertThat(wc.tracking().referenceName()).isEqualTo("127.0.0.2");

          // The worker serves the upstream's time (0.5 s ahead of this host's clock, which
          // chronyd -x may not correct), and says it is at stratum 4.
          Cli r = Cli.run("time", "--server", "127.0.0.3:" + workerPort, "--samples", "2");
          assertThat(r.exit()).as(r.toString()).isZero();
          assertThat(r.out())
              .containsPattern("stratum\\s+PASS\\s+4")
              .containsPattern("offset\\s+WARN\\s+\\+(49\\d|50\\d)\\.\\d{3} ms");
        }
      }
    }
  }

  /**
   * The rendered directives, with what belongs to a real node moved out of the way: the NTP port
   * (123) becomes a free port on the node's own loopback address, the drift file goes to the temp
   * dir, and the command port, command socket and pid file are left to the test harness. Requests
   * leave from the node's address, which is what the other tier's {@code allow} admits.
   */
  private static String onLoopback(String rendered, String address, int port, Path drift) {
    String kept =
        rendered
            .lines()
            .filter(
                l ->
                    !l.startsWith("port ")
                        && !l.startsWith("pidfile ")
                        && !l.startsWith("bindcmdaddress ")
                        && !l.startsWith("cmdport ")
                        && !l.startsWith("driftfile "))
            .collect(Collectors.joining("\n", "", "\n"));
    return kept
        + "port "
        + port
        + "\nbindaddress "
        + address
        + "\nbindacqaddress "
        + address
        + "\ndriftfile "
        + drift
        + "\n";
  }
}
