package dev.vigil.render.live;

import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's MIT Kerberos KDC (krb5kdc) for one realm, its database, stash and configuration in the
 * test's directory, listening on 127.0.0.1 only (UDP and TCP on one port).
 */
public final class LiveKdc {
  private LiveKdc() {}

  public static LiveProcess start(Path dir, String realm) throws IOException {
    Path krb5kdc = Tools.require("krb5kdc", "krb5-kdc");
    Path kdb5Util = Tools.require("kdb5_util", "krb5-kdc");
    Files.createDirectories(dir);
    int port = LiveProcess.freePort();
    Files.writeString(
        dir.resolve("krb5.conf"),
        String.join(
            "\n",
            "[libdefaults]",
            "  default_realm = " + realm,
            "[realms]",
            "  " + realm + " = {",
            "    kdc = 127.0.0.1:" + port,
            "  }",
            ""));
    Files.writeString(
        dir.resolve("kdc.conf"),
        String.join(
            "\n",
            "[kdcdefaults]",
            "  kdc_listen = 127.0.0.1:" + port,
            "  kdc_tcp_listen = 127.0.0.1:" + port,
            "[realms]",
            "  " + realm + " = {",
            "    database_name = " + dir.resolve("principal"),
            "    key_stash_file = " + dir.resolve("stash"),
            "    acl_file = " + dir.resolve("kadm5.acl"),
            "  }",
            "[logging]",
            "  kdc = FILE:" + dir.resolve("kdc.log"),
            ""));
    Map<String, String> env =
        Map.of(
            "KRB5_CONFIG",
            dir.resolve("krb5.conf").toString(),
            "KRB5_KDC_PROFILE",
            dir.resolve("kdc.conf").toString());
    ProcessBuilder create =
        new ProcessBuilder(
                kdb5Util.toString(),
                "create",
                "-r",
                realm,
                "-s",
                "-P",
                "master-" + Long.toHexString(System.nanoTime()))
            .redirectErrorStream(true);
    create.environment().putAll(env);
    Process p = create.start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kdb5_util create failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return LiveProcess.tcp(
        "krb5kdc",
        dir,
        port,
        Duration.ofSeconds(30),
        env,
        List.of(krb5kdc.toString(), "-n", "-r", realm));
  }
}
