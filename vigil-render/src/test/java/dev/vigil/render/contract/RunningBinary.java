package dev.vigil.render.contract;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;

/**
 * A real exporter or server started on a loopback port, logging to a file, ready once it answers.
 */
final class RunningBinary implements Closeable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private RunningBinary(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts the command for a free loopback port, again on another port when the one chosen was
   * taken in between by another process (a port is free when picked, not when bound).
   */
  static RunningBinary start(
      String name, Path dir, Map<String, String> env, IntFunction<List<String>> command)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      try {
        return start(name, dir, port, env, command.apply(port));
      } catch (IllegalStateException e) {
        if (attempt == 5 || !e.getMessage().contains("address already in use")) {
          throw e;
        }
      }
    }
  }

  int port() {
    return port;
  }

  /**
   * Starts the command, which must listen on 127.0.0.1:port, and waits until /metrics answers 200.
   */
  static RunningBinary start(
      String name, Path dir, int port, Map<String, String> env, List<String> command)
      throws IOException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    RunningBinary b = new RunningBinary(name, pb.start(), log, port);
    try {
      // Prometheus replays its (empty) WAL first; 60 s covers a loaded 2-core machine.
      Awaitility.await(name + " answering on port " + port)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!b.process.isAlive()) {
                  throw new IllegalStateException(name + " exited:\n" + b.log());
                }
                return b.get("/metrics").statusCode() == 200;
              });
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    return b;
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError(name + " /metrics answered " + r.statusCode());
    }
    return r.body();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
