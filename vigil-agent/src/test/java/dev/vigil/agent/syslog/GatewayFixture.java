package dev.vigil.agent.syslog;

import dev.vigil.agent.Agent;
import dev.vigil.spec.syslog.SyslogSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Starts an agent with only the syslog service, on loopback and free ports, for tests. */
final class GatewayFixture implements AutoCloseable {
  final Agent agent;
  final SyslogService syslog;

  private GatewayFixture(Agent agent, SyslogService syslog) {
    this.agent = agent;
    this.syslog = syslog;
  }

  static SyslogSpec spec(String lokiUrl, SyslogSpec.Journal journal) {
    SyslogSpec d = SyslogSpec.defaults();
    return new SyslogSpec(
        true,
        new SyslogSpec.Listen("127.0.0.1", true, 0, true, 0, SyslogSpec.Tls.defaults(), "8Mi"),
        d.limits(),
        new SyslogSpec.Parsing("UTC", Map.of(), Duration.ofDays(7), Duration.ofMinutes(10)),
        journal,
        new SyslogSpec.Archive(true, "archive", Duration.ofDays(90), "1Gi"),
        new SyslogSpec.Loki(
            lokiUrl,
            "tenant-a",
            Map.of("cluster", "test"),
            "512Ki",
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5)));
  }

  static GatewayFixture start(Path dataDir, String lokiUrl) throws Exception {
    return start(dataDir, spec(lokiUrl, SyslogSpec.Journal.defaults()));
  }

  static GatewayFixture start(Path dataDir, SyslogSpec spec) throws Exception {
    SyslogService s =
        new SyslogService(
            spec,
            new SyslogService.Overrides(-1, -1, -1, null, Duration.ofSeconds(3)),
            Clock.systemUTC());
    Agent a =
        Agent.builder()
            .httpAddress("127.0.0.1")
            .httpPort(0)
            .dataDir(dataDir)
            .service(s)
            .buildAndStart();
    return new GatewayFixture(a, s);
  }

  int udpPort() {
    return syslog.udpPort();
  }

  int tlsPort() {
    return syslog.tlsPort();
  }

  int tcpPort() {
    return syslog.tcpPort();
  }

  /**
   * One client: the agent's HTTP server limits connections per address, and each client keeps its
   * own.
   */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.getHttpPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Value of a metric series in /metrics, 0 if absent. */
  double metric(String series) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")
          || (line.startsWith(series) && series.endsWith("}") && line.startsWith(series + " "))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Sum of every series of a metric family whose line contains all the given fragments. */
  double metricSum(String name, String... contains) throws IOException, InterruptedException {
    double sum = 0;
    outer:
    for (String line : get("/metrics").body().split("\n")) {
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
  public void close() {
    agent.close();
  }
}
