package dev.vigil.render.live;

import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's PostgreSQL 15 server in a cluster of its own under the test's directory, listening on
 * 127.0.0.1 with trust authentication for the postgres role. PostgreSQL refuses to run as root:
 * when the test does, the server runs as nobody (setpriv) in directories it owns.
 */
public final class LivePostgres {
  private LivePostgres() {}

  public static Path bin(String program) {
    for (String v : List.of("17", "16", "15", "14", "13")) {
      Path p = Path.of("/usr/lib/postgresql", v, "bin", program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return Tools.require(program, "postgresql");
  }

  static boolean root() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  private static List<String> asServerUser(List<String> command) throws IOException {
    if (!root()) {
      return command;
    }
    List<String> c =
        new ArrayList<>(
            List.of(
                Tools.require("setpriv", "util-linux").toString(),
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups"));
    c.addAll(command);
    return c;
  }

  /** initdb and start, with the given extra server settings ({@code -c name=value}). */
  public static LiveProcess start(Path dir, Map<String, String> settings) throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    if (root()) {
      // The server user must reach its directories: the test's temporary directory is root's 0700.
      // Up to the system's temporary directory, never that one itself (it stays 1777 for everyone).
      Path systemTmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
      for (Path p = dir.toAbsolutePath().normalize();
          p != null && p.startsWith(systemTmp) && !p.equals(systemTmp);
          p = p.getParent()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
      Files.setOwner(data, users.lookupPrincipalByName("nobody"));
    }
    Tools.Run init =
        Tools.run(
            dir,
            120,
            asServerUser(
                List.of(
                    bin("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync")));
    if (!init.ok()) {
      throw new IllegalStateException("initdb failed:\n" + init.output());
    }
    int port = LiveProcess.freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                bin("postgres").toString(),
                "-D",
                data.toString(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "port=" + port,
                "-c",
                "unix_socket_directories=" + dir,
                "-c",
                "fsync=off"));
    settings.forEach(
        (k, v) -> {
          command.add("-c");
          command.add(k + "=" + v);
        });
    // Recovery of an empty cluster and start-up take a second or two; 60 s covers a loaded host.
    return LiveProcess.tcp(
        "postgres", dir, port, Duration.ofSeconds(60), Map.of(), asServerUser(command));
  }

  /** A psql session run to completion (or killed by the caller) against the server. */
  public static ProcessBuilder psql(LiveProcess server, String sql) {
    return new ProcessBuilder(
            bin("psql").toString(),
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(server.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            sql)
        .redirectErrorStream(true);
  }

  /**
   * Stops the server the way an outage looks to clients: SIGINT is PostgreSQL's fast shutdown,
   * which ends every session (SIGTERM would wait for them).
   */
  public static void stop(LiveProcess server) throws IOException, InterruptedException {
    server.signal("INT");
    // A fast shutdown of an idle test cluster takes well under a second; 30 s covers a loaded host.
    if (!server.awaitExit(Duration.ofSeconds(30))) {
      server.close();
    }
  }

  public static String dsn(LiveProcess server) {
    return "postgresql://postgres@127.0.0.1:" + server.port + "/postgres?sslmode=disable";
  }
}
