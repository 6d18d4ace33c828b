package dev.vigil.agent.bench;

import dev.vigil.testing.syslog.SyslogDaemon;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A syslog receiver under test: one process, listening on loopback, writing to local files. */
abstract class BenchTarget implements AutoCloseable {
  final String name;
  final int port;

  BenchTarget(String name, int port) {
    this.name = name;
    this.port = port;
  }

  abstract long pid();

  abstract OutputCounter counter();

  @Override
  public abstract void close();

  /** CPU time of the process so far (user + system), in clock ticks of 10 ms. */
  long cpuTicks() throws IOException {
    return Proc.cpuTicks(pid());
  }

  /** rsyslog in the configuration its documentation gives for high message rates. */
  static BenchTarget rsyslog(Path dir) throws IOException {
    int port = freePort();
    Path out = fresh(dir).resolve("out.log");
    // "Receiving massive amounts of messages with high performance" (rsyslog documentation,
    // examples/high_performance): imptcp, imudp with 2 threads and batches of 128, a fixedArray
    // ruleset queue with 4 workers dequeuing 4096 at a time, omfile with 64k buffers written
    // asynchronously. The UDP buffer is the gateway's default (4 MiB), so both drop alike. The
    // listen backlog is raised (imptcp's socketBacklog; 5 in Debian's 8.2302): at the default, 64
    // senders connecting at once are reset.
    SyslogDaemon d =
        SyslogDaemon.rsyslog(
            dir,
            String.join(
                "\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imudp\" threads=\"2\" timeRequery=\"8\" batchSize=\"128\")",
                "module(load=\"imptcp\" threads=\"3\")",
                "input(type=\"imudp\" address=\"127.0.0.1\" port=\""
                    + port
                    + "\" ruleset=\"remote\" rcvbufSize=\"4m\")",
                "input(type=\"imptcp\" address=\"127.0.0.1\" port=\""
                    + port
                    + "\" ruleset=\"remote\" socketBacklog=\"1024\")",
                "ruleset(name=\"remote\" queue.type=\"fixedArray\" queue.size=\"250000\"",
                "        queue.dequeueBatchSize=\"4096\" queue.workerThreads=\"4\"",
                "        queue.workerThreadMinimumMessages=\"60000\") {",
                "  action(type=\"omfile\" file=\""
                    + out
                    + "\" ioBufferSize=\"64k\" flushOnTXEnd=\"off\" asyncWriting=\"on\")",
                "}",
                ""));
    return peer("rsyslog", d, port, out);
  }

  /**
   * syslog-ng with flow control sized as its administration guide says ("Configuring
   * flow-control"): the source window is max-connections x log-fetch-limit, the destination's
   * buffer ten times the window; flow-control in the log path, so nothing is dropped over TCP.
   */
  static BenchTarget syslogNg(Path dir) throws IOException {
    int port = freePort();
    Path out = fresh(dir).resolve("out.log");
    SyslogDaemon d =
        SyslogDaemon.syslogNg(
            dir,
            String.join(
                "\n",
                "@version: 3.38",
                "options { stats-freq(0); keep-hostname(yes); };",
                "source s_tcp { network(ip(\"127.0.0.1\") port("
                    + port
                    + ") transport(\"tcp\") flags(syslog-protocol)",
                "  max-connections(100) log-fetch-limit(100) log-iw-size(10000)); };",
                "source s_udp { network(ip(\"127.0.0.1\") port("
                    + port
                    + ") transport(\"udp\") flags(syslog-protocol)",
                "  so-rcvbuf(4194304) log-fetch-limit(100) log-iw-size(10000)); };",
                "destination d_file { file(\"" + out + "\" log-fifo-size(100000)); };",
                "log { source(s_tcp); source(s_udp); destination(d_file); flags(flow-control); };",
                ""));
    return peer("syslog-ng", d, port, out);
  }

  private static BenchTarget peer(String name, SyslogDaemon d, int port, Path out) {
    d.awaitTcp(port, Duration.ofSeconds(20));
    d.awaitUdp(port, Duration.ofSeconds(20));
    OutputCounter counter = OutputCounter.lines(out);
    return new BenchTarget(name, port) {
      @Override
      long pid() {
        return d.pid();
      }

      @Override
      OutputCounter counter() {
        return counter;
      }

      @Override
      public void close() {
        d.close();
      }
    };
  }

  /** Settings of a gateway run beyond the defaults. */
  record GatewayConfig(boolean archive, String lokiUrl, List<String> lokiExtra, String javaOpts) {
    static GatewayConfig of(boolean archive) {
      return new GatewayConfig(archive, "http://127.0.0.1:9/", List.of(), null);
    }
  }

  /**
   * The gateway started as a user starts it: the repository's {@code vigil} launcher, {@code vigil
   * agent --services syslog}, the launcher's default JVM flags. Only the listen address and ports,
   * the archive switch and the Loki URL differ from the defaults. {@code javaOpts} (a flight
   * recording while profiling) is added through VIGIL_JAVA_OPTS.
   */
  static BenchTarget gateway(String name, Path dir, GatewayConfig config) throws Exception {
    fresh(dir);
    int port = freePort();
    int http = SyslogDaemon.freePort();
    List<String> yaml =
        new ArrayList<>(
            List.of(
                "apiVersion: vigil.dev/v1",
                "kind: Station",
                "cluster: {name: bench}",
                "time: {enabled: false}",
                "syslog:",
                "  listen: {address: 127.0.0.1, udpPort: " + port + ", tcpPort: " + port + "}",
                "  archive: {enabled: " + config.archive() + "}",
                "  loki:",
                "    url: " + config.lokiUrl()));
    for (String line : config.lokiExtra()) {
      yaml.add("    " + line);
    }
    Path spec = dir.resolve("vigil.yaml");
    Files.writeString(spec, String.join("\n", yaml) + "\n");
    Path launcher = Path.of("vigil").toAbsolutePath();
    if (!Files.isExecutable(launcher)) {
      throw new IOException(
          "run the benchmark from the repository root (no vigil launcher at " + launcher + ")");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            launcher.toString(),
            "agent",
            "-f",
            spec.toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--services",
            "syslog",
            "--http-address",
            "127.0.0.1",
            "--http-port",
            Integer.toString(http));
    pb.environment().remove("VIGIL_JAVA_OPTS");
    pb.environment().remove("VIGIL_AGENT_JAVA_OPTS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    if (config.javaOpts() != null) {
      pb.environment().put("VIGIL_JAVA_OPTS", config.javaOpts());
    }
    Path log = dir.resolve("agent.out");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitTcp(p, port, log);
    OutputCounter counter = OutputCounter.journal(dir.resolve("data").resolve("journal"));
    return new BenchTarget(name, port) {
      @Override
      long pid() {
        return p.pid();
      }

      @Override
      OutputCounter counter() {
        return counter;
      }

      @Override
      public void close() {
        p.destroy();
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static void awaitTcp(Process p, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IOException("gateway did not start:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
  }

  /** Empties {@code dir} (output of an earlier run) and returns it. */
  static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** A port free for both TCP and UDP on 127.0.0.1 (every target listens on both). */
  static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = SyslogDaemon.freePort();
      try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", p))) {
        return p;
      } catch (IOException e) {
        // taken for UDP: another
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }
}
