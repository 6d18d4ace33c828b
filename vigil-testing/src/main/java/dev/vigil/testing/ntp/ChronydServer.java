package dev.vigil.testing.ntp;

import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real chronyd from Debian, started as a local-stratum NTP server on a free loopback port with
 * its own config, pid, drift and log files in a temporary directory.
 *
 * <p>chronyd runs with {@code -x}: it never adjusts the host's clock, it only serves it. Its
 * command port is bound to loopback as well, so {@code chronyc -h 127.0.0.1 -p <cmdPort>} works.
 * Optionally it syncs to other loopback servers (to produce real {@code chronyc sources} output).
 */
public final class ChronydServer implements Closeable {
  private final Path dir;
  private final Process process;
  private final int ntpPort;
  private final int cmdPort;

  private ChronydServer(Path dir, Process process, int ntpPort, int cmdPort) {
    this.dir = dir;
    this.process = process;
    this.ntpPort = ntpPort;
    this.cmdPort = cmdPort;
  }

  /** Starts chronyd serving its own clock at stratum {@code localStratum}. */
  public static ChronydServer startLocal(int localStratum) throws IOException {
    return start(localStratum, List.of());
  }

  /**
   * Starts chronyd at {@code localStratum} that also polls the given loopback servers ({@code
   * host:port}) every second.
   */
  public static ChronydServer start(int localStratum, List<String> upstreamLoopbackServers)
      throws IOException {
    // A free port picked by binding port 0 can be taken before chronyd binds it; retry a little.
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int ntp = freeUdpPort();
      StringBuilder conf = new StringBuilder();
      for (String s : upstreamLoopbackServers) {
        String[] hp = s.split(":");
        if (!hp[0].startsWith("127.")) {
          throw new IllegalArgumentException("test chronyd may only use loopback servers: " + s);
        }
        conf.append("server ")
            .append(hp[0])
            .append(" port ")
            .append(hp[1])
            .append(" iburst minpoll 0 maxpoll 0\n");
      }
      conf.append("port ")
          .append(ntp)
          .append('\n')
          .append("bindaddress 127.0.0.1\n")
          .append("local stratum ")
          .append(localStratum)
          .append('\n')
          .append("allow 127.0.0.1\n");
      try {
        return startWithConfig(conf.toString(), ntp);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Starts chronyd with a caller-written configuration (e.g. one rendered by Vigil) that must
   * listen on {@code ntpPort} on loopback and may only name loopback servers. The harness appends
   * its own command port, command socket, pid file and dump directory in a temporary directory;
   * chrony lets a later directive override an earlier one.
   */
  public static ChronydServer startWithConfig(String body, int ntpPort) throws IOException {
    Path chronyd = Tools.require("chronyd", "chrony");
    for (String line : body.split("\n")) {
      String[] w = line.strip().split("\\s+");
      if ((w[0].equals("server") || w[0].equals("pool") || w[0].equals("peer"))
          && w.length > 1
          && !w[1].startsWith("127.")) {
        throw new IllegalArgumentException("test chronyd may only use loopback servers: " + line);
      }
    }
    Path dir = Files.createTempDirectory("vigil-chronyd-");
    int cmd = freeUdpPort();
    StringBuilder conf = new StringBuilder(body);
    if (!body.endsWith("\n")) {
      conf.append('\n');
    }
    conf.append("# Test harness\n")
        .append("cmdport ")
        .append(cmd)
        .append('\n')
        .append("bindcmdaddress 127.0.0.1\n")
        // Its own Unix command socket, so it never touches the host chronyd's /run/chrony.
        .append("bindcmdaddress ")
        .append(dir.resolve("chronyd.sock"))
        .append('\n')
        .append("cmdallow 127.0.0.1\n")
        .append("pidfile ")
        .append(dir.resolve("chronyd.pid"))
        .append('\n')
        .append("dumpdir ")
        .append(dir)
        .append('\n');
    if (!body.contains("driftfile")) {
      conf.append("driftfile ").append(dir.resolve("drift")).append('\n');
    }
    Path confFile = dir.resolve("chrony.conf");
    Files.writeString(confFile, conf.toString(), StandardCharsets.UTF_8);
    // -d: stay in the foreground, logging to stderr; -x: never touch the system clock;
    // -U: skip the root check, so the same command works for root (CI containers) and
    // developers; as root, -u root keeps chronyd from switching to a "chrony" user that
    // cannot write the temp dir.
    List<String> cmdLine =
        new ArrayList<>(List.of(chronyd.toString(), "-f", confFile.toString(), "-d", "-x", "-U"));
    if (runsAsRoot()) {
      cmdLine.add("-u");
      cmdLine.add("root");
    }
    Process p =
        new ProcessBuilder(cmdLine)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chronyd.log").toFile())
            .start();
    ChronydServer server = new ChronydServer(dir, p, ntpPort, cmd);
    try {
      Path chronyc = Tools.require("chronyc", "chrony");
      Awaitility.await("chronyd answering on command port " + cmd)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException("chronyd exited: " + server.log());
                }
                return Tools.run(
                        null,
                        10,
                        chronyc.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(cmd),
                        "-c",
                        "tracking")
                    .ok();
              });
      return server;
    } catch (RuntimeException e) {
      IOException failed =
          new IOException("chronyd did not start: " + e.getMessage() + "\n" + server.log(), e);
      server.close();
      throw failed;
    }
  }

  private static boolean runsAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** A UDP port that was free on loopback a moment ago. */
  public static int freeUdpPort() throws IOException {
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  public int ntpPort() {
    return ntpPort;
  }

  public int cmdPort() {
    return cmdPort;
  }

  public String hostPort() {
    return "127.0.0.1:" + ntpPort;
  }

  public Path dir() {
    return dir;
  }

  /** chronyc arguments that reach this chronyd's command port. */
  public List<String> chronycCommand() {
    return List.of(
        Tools.require("chronyc", "chrony").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(cmdPort));
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("chronyd.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Leftovers in the temp dir are harmless.
    }
  }
}
