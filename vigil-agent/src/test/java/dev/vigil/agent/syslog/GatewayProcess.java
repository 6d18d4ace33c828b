package dev.vigil.agent.syslog;

import dev.vigil.agent.Agent;
import dev.vigil.spec.syslog.SyslogSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The gateway alone in its own JVM, for tests that kill it: {@code GatewayProcess <dataDir>
 * <lokiUrl> <tcpPort>} prints {@code READY tcp=<port> http=<port>} once listening, then runs until
 * killed (or for ten minutes at most, so a lost child never outlives its test run long).
 */
public final class GatewayProcess {
  /**
   * One client: the agent's HTTP server limits connections per address, and each client keeps its
   * own.
   */
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  private GatewayProcess() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    SyslogSpec spec = GatewayFixture.spec(args[1], SyslogSpec.Journal.defaults());
    SyslogService s =
        new SyslogService(
            spec,
            new SyslogService.Overrides(
                -1, Integer.parseInt(args[2]), -1, null, Duration.ofSeconds(3)),
            Clock.systemUTC());
    Agent a =
        Agent.builder()
            .httpAddress("127.0.0.1")
            .httpPort(0)
            .dataDir(data)
            .service(s)
            .buildAndStart();
    System.out.println("READY tcp=" + s.tcpPort() + " http=" + a.getHttpPort());
    System.out.flush();
    new CountDownLatch(1).await(10, TimeUnit.MINUTES);
    a.close();
  }

  /** A running child: start, kill -9, its ports and output. */
  static final class Child implements AutoCloseable {
    final Process process;
    final Path log;
    final int tcpPort;
    final int httpPort;

    private Child(Process process, Path log, int tcpPort, int httpPort) {
      this.process = process;
      this.log = log;
      this.tcpPort = tcpPort;
      this.httpPort = httpPort;
    }

    static Child start(Path data, String lokiUrl, int tcpPort, Path log)
        throws IOException, InterruptedException {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  GatewayProcess.class.getName(),
                  data.toString(),
                  lokiUrl,
                  Integer.toString(tcpPort)));
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("READY tcp=(\\d+) http=(\\d+)").matcher(out);
        if (m.find()) {
          return new Child(p, log, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (!p.isAlive()) {
          throw new IOException("gateway process exited: " + out);
        }
        p.waitFor(50, TimeUnit.MILLISECONDS);
      }
      p.destroyForcibly();
      throw new IOException("gateway process did not start within 60 s: " + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook, no drain, no flush. */
    void kill9() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Sum of a metric family's series whose line contains every fragment. */
    double metricSum(String name, String... contains) throws IOException, InterruptedException {
      String body =
          HTTP.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      double sum = 0;
      outer:
      for (String line : body.split("\n")) {
        if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
          continue;
        }
        for (String c : contains) {
          if (!line.contains(c)) {
            continue outer;
          }
        }
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      return sum;
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        kill9();
      }
    }
  }
}
