package dev.vigil.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code vigil agent ARGS} running on a thread of the test, stopped by {@link #close()}. */
final class RunningAgent implements AutoCloseable {
  private final AgentCommand command = new AgentCommand();
  private final StringWriter out = new StringWriter();
  private final CompletableFuture<Integer> exit;
  final int httpPort;

  RunningAgent(String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> output().contains("agent running") || exit.isDone());
    Matcher m = Pattern.compile("http port (\\d+)").matcher(output());
    if (!m.find()) {
      throw new IllegalStateException("agent did not start:\n" + output());
    }
    httpPort = Integer.parseInt(m.group(1));
  }

  /** The registry the agent serves on /metrics. */
  io.prometheus.metrics.model.registry.PrometheusRegistry registry() {
    return command.agent.registry();
  }

  String output() {
    synchronized (out) {
      return out.toString();
    }
  }

  /**
   * One client: the agent's HTTP server limits connections per address, and each client keeps its
   * own.
   */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  String get(String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The value of one sample on /metrics, e.g. {@code vigil_time_trusted{role="peer",...}}. */
  Double metric(String name, String... labels) throws IOException, InterruptedException {
    for (String line : get("/metrics").split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    command.stop.countDown();
    exit.get(60, TimeUnit.SECONDS);
  }
}
