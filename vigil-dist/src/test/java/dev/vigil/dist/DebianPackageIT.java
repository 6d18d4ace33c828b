package dev.vigil.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Debian package installed with dpkg on this machine: the command, the user, the man pages and
 * completion are there; the agent unit's own command line (taken from the installed unit, as
 * systemd would run it, without systemd) serves /healthz and delivers a message to Loki, and stops
 * on SIGTERM within the unit's stop timeout; purge leaves nothing behind.
 */
class DebianPackageIT {
  /** dpkg unpacking 30 MB and running man-db's trigger on a busy machine. */
  private static final Duration DPKG = Duration.ofMinutes(3);

  /** A JVM's start on a busy two-core machine. */
  private static final Duration COMMAND = Duration.ofSeconds(60);

  /**
   * The agent's start: a JVM with the default JIT, the spec, the journal's files and the Netty
   * listeners; about 3 s on an idle machine, measured, and this allows for a busy one.
   */
  private static final Duration AGENT_START = Duration.ofSeconds(90);

  /** zsh's start with compinit, or its first completion, which sources the 24 KB script. */
  private static final Duration SHELL = Duration.ofSeconds(30);

  /** The journal pushes a batch after batchWait (1 s); a retry after a slow first connection. */
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  private static final String UNIT = "/lib/systemd/system/vigil-agent.service";

  /** Where systemd looks for commands when a unit sets no PATH. */
  private static final String SYSTEMD_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  @Test
  void installRunTheUnitsCommandAndPurge() throws Exception {
    requireRoot();
    Path deb = debianPackage();
    assertThat(Proc.run(COMMAND, "dpkg", "-s", "vigil").exit())
        .as(
            "a vigil package is installed on this machine already; this test installs and purges its own and will not touch it")
        .isNotZero();
    List<Path> shipped = files(deb);
    assertThat(shipped)
        .as("nothing the package ships may exist before it is installed")
        .allMatch(p -> !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertThat(Proc.run(COMMAND, "getent", "passwd", "vigil").exit())
        .as("a vigil user exists already")
        .isNotZero();

    try {
      Proc install =
          Proc.run(
              DPKG,
              Map.of("DEBIAN_FRONTEND", "noninteractive"),
              List.of("dpkg", "-i", deb.toString()));
      assertThat(install.exit()).as(install.output()).isZero();

      installedCommandManPagesAndCompletion();
      zshCompletesFromTheInstalledFunction();
      theUnitsCommandServesHealthAndDelivers();
    } finally {
      Proc purge =
          Proc.run(
              DPKG,
              Map.of("DEBIAN_FRONTEND", "noninteractive"),
              List.of("dpkg", "--purge", "vigil"));
      assertThat(purge.exit()).as(purge.output()).isZero();
    }

    assertThat(Proc.run(COMMAND, "dpkg", "-s", "vigil").exit()).isNotZero();
    for (Path p : shipped) {
      assertThat(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .as("left behind: " + p)
          .isFalse();
    }
    for (String dir :
        List.of(
            "/usr/lib/vigil",
            "/usr/share/vigil",
            "/usr/share/doc/vigil",
            "/etc/vigil",
            "/var/lib/vigil")) {
      assertThat(Path.of(dir)).as("left behind").doesNotExist();
    }
    assertThat(Proc.run(COMMAND, "getent", "passwd", "vigil").exit())
        .as("the vigil user is left behind")
        .isNotZero();
    assertThat(Proc.run(COMMAND, "getent", "group", "vigil").exit())
        .as("the vigil group is left behind")
        .isNotZero();
  }

  private static void installedCommandManPagesAndCompletion() {
    Proc version = Proc.run(COMMAND, "/usr/bin/vigil", "--version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output()).containsPattern("^vigil \\S+ \\(commit [0-9a-f]{12}\\)");

    Proc user = Proc.run(COMMAND, "getent", "passwd", "vigil");
    assertThat(user.exit()).as("the vigil user").isZero();
    assertThat(user.output().strip()).endsWith(":/usr/sbin/nologin");

    Proc man = Proc.run(COMMAND, "man", "-w", "vigil-agent");
    if (Tools.find("man").isPresent()) {
      assertThat(man.output().strip()).isEqualTo("/usr/share/man/man1/vigil-agent.1.gz");
    }
    assertThat(Path.of("/usr/share/man/man1/vigil.1.gz")).isRegularFile();
    assertThat(ArchiveIT.complete("/usr/share/bash-completion/completions/vigil", "vigil", "ag"))
        .containsExactly("agent");
    assertThat(Path.of("/usr/share/vigil/schema/station-v1.json")).isRegularFile();
  }

  /**
   * zsh, started as a user's interactive shell with only compinit in its .zshrc, completes vigil
   * from the installed vendor function (typed in a terminal, read off the screen).
   */
  private static void zshCompletesFromTheInstalledFunction() throws Exception {
    Tools.require("zsh", "zsh");
    Tools.require("tmux", "tmux");
    Path zdotdir = Files.createTempDirectory("vigil-zsh-");
    Files.writeString(
        zdotdir.resolve(".zshrc"), "autoload -U compinit && compinit -u\nPS1='%% '\n");
    // A server of its own, apart from any tmux a user runs.
    String socket = "vigil-dist-test-" + ProcessHandle.current().pid();
    try {
      Proc start =
          Proc.run(
              COMMAND,
              "tmux",
              "-L",
              socket,
              "new-session",
              "-d",
              "-s",
              "t",
              "-x",
              "120",
              "-y",
              "20",
              "-e",
              "ZDOTDIR=" + zdotdir,
              "zsh",
              "-i");
      assertThat(start.exit()).as(start.output()).isZero();
      // The prompt ("% "; the screen's copy drops trailing blanks).
      await().atMost(SHELL).until(() -> screen(socket).lines().anyMatch(l -> l.startsWith("%")));
      tmux(socket, "send-keys", "-t", "t", "vigil ren", "Tab");
      await().atMost(SHELL).until(() -> screen(socket).contains("% vigil render"));
      tmux(socket, "send-keys", "-t", "t", " --o", "Tab", "Tab");
      await().atMost(SHELL).until(() -> screen(socket).contains("--output"));
      assertThat(screen(socket)).contains("--out").doesNotContain("not found");
    } finally {
      Proc.run(COMMAND, "tmux", "-L", socket, "kill-server");
      Proc.run(COMMAND, "rm", "-rf", zdotdir.toString());
    }
  }

  private static String screen(String socket) {
    return tmux(socket, "capture-pane", "-p", "-t", "t");
  }

  private static String tmux(String socket, String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Proc p = Proc.run(COMMAND, Map.of(), command);
    assertThat(p.exit()).as(p.output()).isZero();
    return p.output();
  }

  private static void theUnitsCommandServesHealthAndDelivers() throws Exception {
    Unit unit = Unit.read(Path.of(UNIT));
    assertThat(unit.execStart().get(0)).isEqualTo("/usr/bin/vigil");
    Path work = Files.createTempDirectory("vigil-deb-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = work.resolve("data");
    Files.createDirectories(data);
    Proc chown = Proc.run(COMMAND, "chown", unit.user() + ":" + unit.user(), data.toString());
    assertThat(chown.exit()).as(chown.output()).isZero();
    Path log = work.resolve("agent.log");
    int udp;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp = probe.getLocalPort();
    }
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      Path spec = work.resolve("vigil.yaml");
      Files.writeString(
          spec,
          """
          apiVersion: vigil.dev/v1
          kind: Station
          cluster:
            name: deb-test
          time:
            enabled: false
          syslog:
            listen:
              address: 127.0.0.1
              udpPort: %d
              tcp: false
            loki:
              url: %s
              labels:
                cluster: deb-test
              batchWait: 1s
          """
              .formatted(udp, loki.url()));

      List<String> command =
          new ArrayList<>(
              List.of(
                  "setpriv",
                  "--reuid=" + unit.user(),
                  "--regid=" + unit.user(),
                  "--init-groups",
                  "--"));
      command.addAll(
          replace(replace(unit.execStart(), "-f", spec.toString()), "--data-dir", data.toString()));
      // Loopback only, and a port the kernel picks, instead of the unit's 0.0.0.0:9464.
      command.addAll(List.of("--http-address", "127.0.0.1", "--http-port", "0"));
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().clear();
      pb.environment().put("PATH", SYSTEMD_PATH);
      pb.environment().put("USER", unit.user());
      pb.environment().put("LOGNAME", unit.user());
      pb.environment().putAll(unit.environment());
      Process agent = pb.start();
      try {
        Pattern running = Pattern.compile("agent running; http port (\\d+)");
        await()
            .atMost(AGENT_START)
            .pollInterval(Duration.ofMillis(200))
            .failFast("the agent exited: " + log, () -> !agent.isAlive())
            .until(() -> running.matcher(Files.readString(log)).find());
        Matcher m = running.matcher(Files.readString(log));
        assertThat(m.find()).isTrue();
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + m.group(1) + "/healthz"))
                        .timeout(COMMAND)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

        byte[] msg =
            "<14>Jan 12 09:00:00 deb-test demo: from the installed package"
                .getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket s = new DatagramSocket()) {
          s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), udp));
        }
        await()
            .atMost(DELIVERY)
            .untilAsserted(
                () ->
                    assertThat(loki.entries())
                        .as("entries received; the agent printed:%n%s", Files.readString(log))
                        .anyMatch(e -> e.line().equals("from the installed package")));

        agent.destroy(); // SIGTERM, as systemd stops it
        assertThat(agent.waitFor(unit.timeoutStopSec().toSeconds(), TimeUnit.SECONDS))
            .as("stopped within the unit's TimeoutStopSec (%s)", unit.timeoutStopSec())
            .isTrue();
        assertThat(unit.successExitStatus(agent.exitValue()))
            .as("exit status %d after SIGTERM is a success for systemd", agent.exitValue())
            .isTrue();
      } finally {
        agent.destroyForcibly();
        agent.waitFor(30, TimeUnit.SECONDS);
      }
      String output = Files.readString(log);
      // Everything the agent printed is its own: no JVM or SLF4J notices in the logfmt stream.
      assertThat(output).doesNotContain("Picked up", "SLF4J");
      // The data directory was written by the unit's user.
      assertThat(Files.getOwner(data.resolve("journal")).getName()).isEqualTo(unit.user());
    } finally {
      Proc.run(COMMAND, "rm", "-rf", work.toString());
    }
  }

  /** The argument after {@code option} replaced by {@code value}. */
  private static List<String> replace(List<String> args, String option, String value) {
    List<String> out = new ArrayList<>(args);
    int i = out.indexOf(option);
    assertThat(i).as("the unit's command line has " + option).isPositive();
    out.set(i + 1, value);
    return out;
  }

  /** The installed unit, as far as running its command needs. */
  record Unit(
      List<String> execStart,
      String user,
      Map<String, String> environment,
      Duration timeoutStopSec,
      List<Integer> successExitStatus) {
    static Unit read(Path file) throws IOException {
      List<String> exec = null;
      String user = "root";
      Map<String, String> env = new LinkedHashMap<>();
      Duration stop = Duration.ofSeconds(90);
      List<Integer> success = new ArrayList<>(List.of(0));
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.startsWith("ExecStart=")) {
          // The units quote nothing: systemd's own splitting is on whitespace here.
          exec = List.of(line.substring("ExecStart=".length()).strip().split("\\s+"));
        } else if (line.startsWith("User=")) {
          user = line.substring(5).strip();
        } else if (line.startsWith("Environment=")) {
          String v = line.substring("Environment=".length()).strip();
          if (v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
          }
          env.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        } else if (line.startsWith("TimeoutStopSec=")) {
          stop =
              Duration.ofSeconds(
                  Long.parseLong(
                      line.substring("TimeoutStopSec=".length()).replace("s", "").strip()));
        } else if (line.startsWith("SuccessExitStatus=")) {
          Stream.of(line.substring("SuccessExitStatus=".length()).strip().split("\\s+"))
              .filter(s -> s.matches("\\d+"))
              .map(Integer::valueOf)
              .forEach(success::add);
        }
      }
      assertThat(exec).as("ExecStart in " + file).isNotNull();
      return new Unit(exec, user, env, stop, success);
    }

    boolean successExitStatus(int status) {
      return successExitStatus.contains(status);
    }
  }

  /** Root runs dpkg; without it the test cannot run, and under CI that is a failure, not a skip. */
  private static void requireRoot() {
    Proc id = Proc.run(COMMAND, "id", "-u");
    if (id.output().strip().equals("0")) {
      return;
    }
    String message = "installing the Debian package needs root (dpkg -i); run the tests as root";
    if (Tools.underCi()) {
      throw new AssertionError(message + " (CI=true: not skipped)");
    }
    Assumptions.abort(message);
  }

  private static Path debianPackage() throws IOException {
    Path dir = Path.of(System.getProperty("vigil.dist.deb.dir"));
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> debs =
          s.filter(p -> p.getFileName().toString().matches("vigil_.*_all\\.deb")).toList();
      assertThat(debs).as("the package the build made in " + dir).hasSize(1);
      return debs.get(0);
    }
  }

  /** The files and links the package ships (not its directories), from dpkg-deb's listing. */
  private static List<Path> files(Path deb) {
    Proc list = Proc.run(COMMAND, "dpkg-deb", "--contents", deb.toString());
    assertThat(list.exit()).as(list.output()).isZero();
    return list.output()
        .lines()
        .filter(l -> !l.startsWith("d"))
        .map(l -> l.split("\\s+", 6)[5])
        .map(p -> p.contains(" -> ") ? p.substring(0, p.indexOf(" -> ")) : p)
        .map(p -> Path.of(p.substring(1)))
        .filter(p -> !p.toString().equals("/"))
        .toList();
  }
}
