package dev.vigil.render.live;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import org.awaitility.Awaitility;

/**
 * A real server or exporter started by a test on loopback, with its own configuration in the test's
 * directory and its output in a log file there. Readiness is a TCP connection or an HTTP answer,
 * awaited for at most the given time; a process that exits while starting fails at once with its
 * log.
 */
public final class LiveProcess implements Closeable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  public final int port;

  private LiveProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** A free TCP port on the loopback interface. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the command and waits until 127.0.0.1:port accepts TCP connections. */
  public static LiveProcess tcp(
      String name,
      Path dir,
      int port,
      Duration within,
      Map<String, String> env,
      List<String> command)
      throws IOException {
    return start(name, dir, port, within, env, command, null);
  }

  /** Starts the command and waits until http://127.0.0.1:port + path answers 200. */
  public static LiveProcess http(
      String name,
      Path dir,
      int port,
      String path,
      Duration within,
      Map<String, String> env,
      List<String> command)
      throws IOException {
    return start(name, dir, port, within, env, command, path);
  }

  private static LiveProcess start(
      String name,
      Path dir,
      int port,
      Duration within,
      Map<String, String> env,
      List<String> command,
      String httpPath)
      throws IOException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    LiveProcess p = new LiveProcess(name, pb.start(), log, port);
    try {
      Awaitility.await(name + " ready on port " + port)
          .atMost(within)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!p.process.isAlive()) {
                  throw new IllegalStateException(
                      name + " exited with " + p.process.exitValue() + ":\n" + p.log());
                }
                return httpPath == null ? p.accepts() : p.get(httpPath).statusCode() == 200;
              });
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  /** Whether 127.0.0.1:port accepts a TCP connection now. */
  public boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends a signal by name (INT, HUP, ...) with kill(1), for servers whose SIGTERM means "wait for
   * clients".
   */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits for the process to end by itself, at most {@code within}. */
  public boolean awaitExit(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
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

  @Override
  public String toString() {
    return name + "@" + address();
  }
}
