package dev.vigil.render.live;

import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx in the foreground with a configuration of the test's, everything under its prefix
 * directory.
 */
public final class LiveNginx {
  private LiveNginx() {}

  /**
   * @param events the events block's body (worker_connections ...)
   * @param servers server blocks, each listening on 127.0.0.1 only
   * @param port the port readiness is awaited on
   */
  public static LiveProcess start(Path dir, String events, String servers, int port)
      throws IOException {
    Path nginx = Tools.require("nginx", "nginx");
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    String conf =
        String.join(
            "\n",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("logs/error.log") + " info;",
            "events { " + events + " }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("tmp/body") + ";",
            "  proxy_temp_path " + dir.resolve("tmp/proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("tmp/scgi") + ";",
            servers,
            "}",
            "");
    Files.writeString(dir.resolve("nginx.conf"), conf);
    // nginx starts in milliseconds; 30 s covers a loaded host.
    return LiveProcess.tcp(
        "nginx",
        dir,
        port,
        Duration.ofSeconds(30),
        Map.of(),
        List.of(
            nginx.toString(),
            "-p",
            dir.toString(),
            "-c",
            dir.resolve("nginx.conf").toString(),
            "-g",
            "daemon off;"));
  }
}
