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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The rendered command socket works in the pod's run directory: the real chronyd (as root, like the
 * pod's chronyd) with the rendered config, its run directory a temporary directory with the
 * emptyDir's mode and group under the pod's fsGroup (2777, group 65534). chronyd refuses a socket
 * directory others may enter, so only a directory it creates itself holds the socket.
 */
class ChronyCommandSocketIT {
  private final List<Process> started = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Process p : started) {
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Path d : dirs) {
      Tools.run(null, 30, "rm", "-rf", d.toString());
    }
  }

  private static String clusterConfig() {
    String station =
        "apiVersion: vigil.dev/v1\nkind: Station\ncluster: {name: loopback}\n"
            + "nodes:\n  - {name: cp, address: 127.0.0.1, role: control-plane}\n";
    ComponentOutput out = new ComponentOutput(ChronyRenderer.NAME);
    new ChronyRenderer().render(TestStations.context(TestStations.of(station)), out);
    return out.objects().stream()
        .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals("chrony-cluster"))
        .map(o -> ((ConfigMap) o).getData().get("chrony.conf"))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The rendered config with its run and state directories moved under {@code dir}, no NTP port and
   * no time sources (nothing leaves the machine), and a free command port on loopback.
   */
  private static String relocated(String rendered, Path dir, int cmdPort) {
    StringBuilder b = new StringBuilder();
    for (String line : rendered.split("\n")) {
      String[] w = line.strip().split("\\s+");
      switch (w[0]) {
        case "server", "pool", "peer", "allow" -> {}
        case "port" -> b.append("port 0\n");
        case "cmdport" -> b.append("cmdport ").append(cmdPort).append('\n');
        default ->
            b.append(
                    line.replace(ChronyConfig.RUN_DIR, dir.resolve("run").toString())
                        .replace(ChronyConfig.STATE_DIR, dir.resolve("state").toString()))
                .append('\n');
      }
    }
    return b.toString();
  }

  private Path podLikeRunDir() throws IOException {
    Path dir = Files.createTempDirectory("vigil-chrony-socket-");
    dirs.add(dir);
    Files.createDirectories(dir.resolve("state"));
    Path run = Files.createDirectories(dir.resolve("run"));
    assertThat(Tools.run(null, 30, "chown", "root:65534", run.toString()).ok()).isTrue();
    assertThat(Tools.run(null, 30, "chmod", "2777", run.toString()).ok()).isTrue();
    return dir;
  }

  private Process chronyd(Path conf, Path log) throws IOException {
    Process p =
        new ProcessBuilder(
                Tools.require("chronyd", "chrony").toString(),
                "-f",
                conf.toString(),
                "-d",
                "-x",
                "-u",
                "root")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(p);
    return p;
  }

  @Test
  void theRenderedSocketIsCreatedInTheEmptyDirAndAnswersChronyc() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (Tools.underCi()) {
      assertThat(root).as("CI runs this test as root: chronyd -u root, chown").isTrue();
    }
    Assumptions.assumeTrue(root, "needs root (chronyd -u root and chown, as in the pod)");
    Path dir = podLikeRunDir();
    int cmdPort = ChronydServer.freeUdpPort();
    String rendered = clusterConfig();
    assertThat(rendered).contains("bindcmdaddress " + ChronyConfig.COMMAND_SOCKET + "\n");
    Path conf = dir.resolve("chrony.conf");
    Files.writeString(conf, relocated(rendered, dir, cmdPort));
    Path log = dir.resolve("chronyd.log");
    Process p = chronyd(conf, log);
    Path socket =
        Path.of(
            ChronyConfig.COMMAND_SOCKET.replace(
                ChronyConfig.RUN_DIR, dir.resolve("run").toString()));
    // chronyd binds its sockets as it starts; 30 s covers a loaded machine.
    Awaitility.await("chronyd's command socket " + socket)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .failFast("chronyd exited", () -> !p.isAlive())
        .until(() -> Files.exists(socket));
    Tools.Run tracking =
        Tools.run(
            null,
            30,
            Tools.require("chronyc", "chrony").toString(),
            "-n",
            "-h",
            socket.toString(),
            "tracking");
    assertThat(tracking.ok()).as(tracking.output()).isTrue();
    assertThat(tracking.output()).contains("Reference ID");
    assertThat(Files.readString(log)).doesNotContain("Disabled command socket");
  }

  /** What the render did before: the socket straight in the emptyDir is refused by chronyd. */
  @Test
  void aSocketStraightInTheEmptyDirIsDisabled() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (Tools.underCi()) {
      assertThat(root).as("CI runs this test as root").isTrue();
    }
    Assumptions.assumeTrue(root, "needs root (chronyd -u root and chown, as in the pod)");
    Path dir = podLikeRunDir();
    String old =
        clusterConfig()
            .replace(ChronyConfig.COMMAND_SOCKET, ChronyConfig.RUN_DIR + "/chronyd.sock");
    Path conf = dir.resolve("chrony.conf");
    Files.writeString(conf, relocated(old, dir, ChronydServer.freeUdpPort()));
    Path log = dir.resolve("chronyd.log");
    Process p = chronyd(conf, log);
    Awaitility.await("chronyd reporting on its command socket")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .failFast("chronyd exited", () -> !p.isAlive())
        .until(() -> Files.readString(log).contains("Disabled command socket"));
    assertThat(dir.resolve("run/chronyd.sock")).doesNotExist();
  }
}
