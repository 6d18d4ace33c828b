package dev.vigil.testing.syslog;

import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real rsyslogd or syslog-ng process started by a test with its own configuration in a temp
 * directory (foreground, no /dev/log, no system config), stopped by {@link #close()}.
 *
 * <p>syslog-ng and rsyslog conflict as Debian packages, so when {@code syslog-ng} is not on the
 * PATH it is looked up unpacked ({@code dpkg -x}) under {@code $VIGIL_SYSLOG_NG_ROOT} (default
 * {@code /opt/vigil-test/syslog-ng}) and run with that tree's libraries and module path.
 */
public final class SyslogDaemon implements Closeable {
  public static final String SYSLOG_NG_ROOT_ENV = "VIGIL_SYSLOG_NG_ROOT";
  public static final String SYSLOG_NG_ROOT_DEFAULT = "/opt/vigil-test/syslog-ng";

  private final String name;
  private final Process process;
  private final Path log;

  private SyslogDaemon(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts rsyslogd in the foreground with {@code config} (RainerScript) written to dir. */
  public static SyslogDaemon rsyslog(Path dir, String config) throws IOException {
    Path bin = Tools.require("rsyslogd", "rsyslog");
    Files.createDirectories(dir);
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(conf, config);
    List<String> cmd =
        List.of(
            bin.toString(),
            "-n",
            "-f",
            conf.toString(),
            "-i",
            dir.resolve("rsyslogd.pid").toString());
    return start("rsyslogd", cmd, Map.of(), dir);
  }

  /** Where the syslog-ng binary and its environment come from. */
  public record SyslogNgInstall(Path binary, Path modulePath, Map<String, String> env) {}

  public static Optional<SyslogNgInstall> findSyslogNg() {
    Optional<Path> onPath = Tools.find("syslog-ng");
    if (onPath.isPresent()) {
      return Optional.of(new SyslogNgInstall(onPath.get(), null, Map.of()));
    }
    String rootText = System.getenv(SYSLOG_NG_ROOT_ENV);
    Path root = Path.of(rootText == null || rootText.isBlank() ? SYSLOG_NG_ROOT_DEFAULT : rootText);
    Path bin = root.resolve("usr/sbin/syslog-ng");
    if (!Files.isExecutable(bin)) {
      return Optional.empty();
    }
    Path modules = null;
    Path libDir = root.resolve("usr/lib/syslog-ng");
    try (var s = Files.list(libDir)) {
      modules =
          s.filter(p -> p.getFileName().toString().matches("\\d+\\.\\d+")).findFirst().orElse(null);
    } catch (IOException e) {
      return Optional.empty();
    }
    String ld =
        String.join(
            ":",
            root.resolve("usr/lib/x86_64-linux-gnu").toString(),
            root.resolve("lib/x86_64-linux-gnu").toString(),
            libDir.toString());
    return Optional.of(new SyslogNgInstall(bin, modules, Map.of("LD_LIBRARY_PATH", ld)));
  }

  /** The syslog-ng install, or fail (CI) / skip (local) with the install hint. */
  public static SyslogNgInstall requireSyslogNg() {
    Optional<SyslogNgInstall> found = findSyslogNg();
    if (found.isPresent()) {
      return found.get();
    }
    String msg =
        "syslog-ng not found on PATH nor unpacked under $"
            + SYSLOG_NG_ROOT_ENV
            + " ("
            + SYSLOG_NG_ROOT_DEFAULT
            + "); ./scripts/test unpacks syslog-ng-core there with dpkg -x";
    if (Tools.underCi()) {
      throw new AssertionError(msg);
    }
    Assumptions.abort(msg);
    throw new IllegalStateException("unreachable");
  }

  /** Starts syslog-ng in the foreground with {@code config} written to dir. */
  public static SyslogDaemon syslogNg(Path dir, String config) throws IOException {
    SyslogNgInstall install = requireSyslogNg();
    Files.createDirectories(dir);
    Path conf = dir.resolve("syslog-ng.conf");
    Files.writeString(conf, config);
    List<String> cmd = new ArrayList<>();
    cmd.add(install.binary().toString());
    cmd.add("-F");
    cmd.add("--no-caps");
    cmd.add("-f");
    cmd.add(conf.toString());
    cmd.add("-R");
    cmd.add(dir.resolve("syslog-ng.persist").toString());
    cmd.add("-p");
    cmd.add(dir.resolve("syslog-ng.pid").toString());
    cmd.add("-c");
    cmd.add(dir.resolve("syslog-ng.ctl").toString());
    if (install.modulePath() != null) {
      cmd.add("--module-path=" + install.modulePath());
    }
    return start("syslog-ng", cmd, install.env(), dir);
  }

  private static SyslogDaemon start(
      String name, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
    Path log = dir.resolve(name + ".out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(dir.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    return new SyslogDaemon(name, p, log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Waits until the daemon accepts TCP connections on 127.0.0.1:port, or fails with its output. */
  public void awaitTcp(int port, Duration timeout) {
    awaitListening(
        "listen on tcp " + port,
        timeout,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** Waits until a UDP port on 127.0.0.1 is taken (the daemon bound it). */
  public void awaitUdp(int port, Duration timeout) {
    awaitListening(
        "bind udp " + port,
        timeout,
        () -> {
          try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return false;
          } catch (IOException e) {
            return true;
          }
        });
  }

  private void awaitListening(String what, Duration timeout, Callable<Boolean> done) {
    try {
      Awaitility.await(name + " " + what)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .failFast(name + " exited", () -> !process.isAlive())
          .until(done);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + " did not " + what + " within " + timeout + ":\n" + output(), e);
    } catch (org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output(), e);
    }
  }

  /** A TCP port free on 127.0.0.1 right now (for daemons that cannot report port 0). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the daemon (SIGTERM, then SIGKILL after 5 s) so it flushes its queues first. */
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
  }
}
