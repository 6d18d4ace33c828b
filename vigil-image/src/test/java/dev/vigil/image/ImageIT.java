package dev.vigil.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Repo;
import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image archive the build wrote, unpacked layer by layer as a container runtime would, and its
 * entrypoint run without one: a read-only root, its own /tmp, the spec and the data directory
 * mounted where the rendered StatefulSet mounts them, as uid 65532.
 */
class ImageIT {
  /** A JVM's start and a short command on a busy two-core machine. */
  private static final Duration COMMAND = Duration.ofSeconds(90);

  /** The agent's start: JVM, journal, listeners, HTTP server, on a busy two-core machine. */
  private static final Duration AGENT_START = Duration.ofSeconds(90);

  /** A message through the journal to Loki: one batch wait and a push, with start-up margin. */
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  /** SIGTERM to exit: the agent drains its journal for a few seconds, then its hooks end. */
  private static final Duration STOP = Duration.ofSeconds(45);

  private static final int UID = 65532;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  static Path layout;
  static Path rootfs;
  static JsonNode index;
  static JsonNode manifest;
  static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("vigil.image.archive"));
    assertThat(archive).isRegularFile();
    layout = Files.createDirectories(work.resolve("layout"));
    rootfs = Files.createDirectories(work.resolve("rootfs"));
    run("tar", "-xf", archive.toString(), "-C", layout.toString());

    assertThat(
            JSON.readTree(layout.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText())
        .isEqualTo("1.0.0");
    index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.get("manifests")).hasSize(1);
    manifest = blob(index.get("manifests").get(0));
    assertThat(manifest.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    config = blob(manifest.get("config"));
    // Each layer in order, as a runtime applies them (owners kept where the tests run as root).
    boolean root = run("id", "-u").strip().equals("0");
    for (JsonNode layer : manifest.get("layers")) {
      assertThat(layer.get("mediaType").asText())
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      Path file = checkedBlob(layer);
      List<String> names = Arrays.asList(run("tar", "-tzf", file.toString()).split("\n"));
      assertThat(names)
          .as("no whiteouts: no layer removes what another added")
          .noneMatch(n -> n.contains(".wh."));
      List<String> tar =
          new ArrayList<>(List.of("tar", "-xzf", file.toString(), "-C", rootfs.toString()));
      if (root) {
        tar.addAll(List.of("--numeric-owner", "--same-owner", "--same-permissions"));
      }
      run(tar.toArray(String[]::new));
    }
  }

  @Test
  void theArchiveIsTaggedWithTheNameTheRenderUsesByDefault() throws Exception {
    String name = System.getProperty("vigil.image.name");
    assertThat(
            index
                .get("manifests")
                .get(0)
                .get("annotations")
                .get("org.opencontainers.image.ref.name")
                .asText())
        .isEqualTo(name);

    // The render of the default station by the image's own vigil-cli.
    Path out = work.resolve("render");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    run(
        java,
        "-cp",
        rootfs.resolve("app/libs") + "/*",
        "dev.vigil.cli.Vigil",
        "render",
        "--out",
        out.toString());
    String statefulSet =
        Files.readString(out.resolve("syslog-gateway/statefulset-syslog-gateway.yaml"));
    assertThat(statefulSet).contains("image: " + name + "\n").doesNotContain("JAVA_TOOL_OPTIONS");
    // The arguments the image's entrypoint is given there (ImageIT runs it with the same).
    assertThat(statefulSet)
        .contains(
            "- --file=/etc/vigil/vigil.yaml\n",
            "- --data-dir=/var/lib/vigil\n",
            "- --http-port=9464\n");
  }

  @Test
  void theConfigRunsTheAgentAsItsUserWithTheLaunchersFlagsAndSaysWhatItIs() throws Exception {
    JsonNode c = config.get("config");
    assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(c.get("User").asText()).isEqualTo(UID + ":" + UID);

    List<String> entrypoint = new ArrayList<>(List.of("/opt/java/bin/java"));
    entrypoint.addAll(launcherAgentFlags());
    entrypoint.addAll(
        List.of("-cp", "/app/resources:/app/classes:/app/libs/*", "dev.vigil.cli.Vigil", "agent"));
    assertThat(strings(c.get("Entrypoint"))).isEqualTo(entrypoint);
    assertThat(c.get("Cmd")).as("the render passes the agent's options as args").isNull();
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/var/lib/vigil");
    // No JVM options from the environment: the JVM would print a "Picked up" notice for them.
    assertThat(c.has("Env") ? strings(c.get("Env")) : List.<String>of())
        .noneMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS=") || e.startsWith("JDK_JAVA_OPTIONS="));
    assertThat(c.get("ExposedPorts").properties().stream().map(e -> e.getKey()))
        .containsExactlyInAnyOrder("5514/udp", "5514/tcp", "6514/tcp", "9464/tcp");

    JsonNode labels = c.get("Labels");
    assertThat(labels.get("org.opencontainers.image.version").asText())
        .isEqualTo(System.getProperty("vigil.image.version"));
    String revision = labels.get("org.opencontainers.image.revision").asText();
    assertThat(revision)
        .isEqualTo(System.getProperty("vigil.image.revision"))
        .matches("[0-9a-f]{40}|unknown");
    assertThat(labels.get("org.opencontainers.image.source").asText())
        .isEqualTo("https://github.com/vigil-dev/vigil");
    // A fixed creation time: the same inputs give the same image.
    assertThat(config.get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void noShellNoPackageManagerNoSetuidAndOnlyTheDataDirectoryIsTheAgents() throws Exception {
    Set<String> forbidden =
        Set.of("sh", "bash", "dash", "ash", "busybox", "apt", "apt-get", "dpkg", "su", "sudo");
    List<Path> all;
    try (Stream<Path> s = Files.walk(rootfs)) {
      all = s.toList();
    }
    assertThat(all.stream().filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)))
        .extracting(p -> p.getFileName().toString())
        .doesNotContainAnyElementsOf(forbidden);
    assertThat(rootfs.resolve("bin")).doesNotExist();
    assertThat(rootfs.resolve("usr/bin")).doesNotExist();
    requireRoot();
    for (Path p : all) {
      if (Files.isSymbolicLink(p)) {
        continue;
      }
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      String owner =
          Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)
              + ":"
              + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      String relative = "/" + rootfs.relativize(p);
      assertThat(mode & 06000).as(relative + ": no setuid or setgid").isZero();
      if (relative.equals("/var/lib/vigil")) {
        assertThat(Integer.toOctalString(mode) + " " + owner).isEqualTo("755 " + UID + ":" + UID);
      } else if (relative.equals("/tmp")) {
        assertThat(Integer.toOctalString(mode) + " " + owner).isEqualTo("1777 0:0");
      } else {
        assertThat(owner).as(relative).isEqualTo("0:0");
        assertThat(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
            .as(relative)
            .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
      }
    }
    assertThat(Files.readString(rootfs.resolve("etc/passwd")))
        .contains("vigil:x:" + UID + ":" + UID + ":");
  }

  @Test
  void everyNativeLibraryFindsWhatItNeedsInTheImage() throws Exception {
    requireRoot();
    List<String> elves = new ArrayList<>();
    try (Stream<Path> s = Files.walk(rootfs)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (isElf(p)) {
          elves.add("/" + rootfs.relativize(p));
        }
      }
    }
    // The JNI libraries the jars carry for this platform (snappy-java extracts its own to
    // java.io.tmpdir; Netty's native transports to the same): copied where the image has them.
    Path extracted = Files.createDirectories(rootfs.resolve("tmp/jni"));
    try (Stream<Path> jars = Files.list(rootfs.resolve("app/libs"))) {
      for (Path jar : jars.toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          for (ZipEntry e : zip.stream().toList()) {
            String n = e.getName();
            // (Not the musl builds: snappy-java picks those only on a musl C library.)
            if (n.endsWith(".so")
                && n.matches("(?i).*linux.*(x86_64|amd64).*|.*x86_64.*linux.*")
                && !n.contains("musl")) {
              Path target = extracted.resolve(jar.getFileName() + "-" + n.replace('/', '_'));
              try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, target);
              }
              elves.add("/" + rootfs.relativize(target));
            }
          }
        }
      }
    }
    assertThat(elves)
        .contains("/opt/java/bin/java", "/opt/java/lib/server/libjvm.so")
        .anyMatch(e -> e.contains("snappy"));
    for (String elf : elves) {
      if (elf.endsWith("/ld-linux-x86-64.so.2")) {
        continue;
      }
      String chroot = Tools.require("chroot", "coreutils").toString();
      Tools.Run r =
          Tools.run(
              null,
              COMMAND.toSeconds(),
              // The JVM's own libraries find libjvm.so and libjava.so already loaded by the
              // launcher.
              List.of(
                  chroot,
                  rootfs.toString(),
                  "/lib64/ld-linux-x86-64.so.2",
                  "--library-path",
                  "/opt/java/lib/server:/opt/java/lib",
                  "--list",
                  elf));
      assertThat(r.exitCode()).as(elf + ": " + r.output()).isZero();
      assertThat(r.output()).as(elf).doesNotContain("not found");
    }
  }

  @Test
  void theRuntimeHoldsEveryModuleTheLibrariesUse() throws Exception {
    String release = Files.readString(rootfs.resolve("opt/java/release"));
    Matcher m = Pattern.compile("(?m)^MODULES=\"([^\"]*)\"").matcher(release);
    assertThat(m.find()).as(release).isTrue();
    Set<String> modules = Set.of(m.group(1).split(" "));

    List<String> jars;
    try (Stream<Path> s = Files.list(rootfs.resolve("app/libs"))) {
      jars = s.map(Path::toString).sorted().toList();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                "--multi-release",
                "17",
                "--ignore-missing-deps",
                "--print-module-deps",
                "--class-path",
                String.join(":", jars)));
    cmd.addAll(jars);
    Tools.Run r = Tools.run(null, COMMAND.toSeconds(), cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    String last = r.output().strip().lines().reduce((a, b) -> b).orElseThrow();
    Set<String> used = Set.of(last.split(","));
    assertThat(used).as("jdeps: " + r.output()).contains("java.base");
    assertThat(modules).containsAll(used);
    // TLS key exchange and signatures: reached through the security providers, not by jdeps.
    assertThat(modules).contains("jdk.crypto.ec");
    assertThat(modules).containsAll(List.of(System.getProperty("vigil.image.modules").split(",")));
    // java.desktop only for java.beans: its native libraries would need X11 and friends.
    assertThat(rootfs.resolve("opt/java/lib/libawt_xawt.so")).doesNotExist();
  }

  @Test
  void theAgentRunsReadOnlyAsItsUserAnswersHealthDeliversToLokiAndStopsOnSigterm()
      throws Exception {
    requireRoot();
    Path unshare = Tools.require("unshare", "util-linux");
    try (LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      int udp = freeUdpPort();
      int tcp = freeTcpPort();
      int http = freeTcpPort();
      Path conf = Files.createDirectories(work.resolve("run/etc-vigil"));
      Files.writeString(
          conf.resolve("vigil.yaml"),
          String.join(
              "\n",
              "apiVersion: vigil.dev/v1",
              "kind: Station",
              "cluster:",
              "  name: image-test",
              "time:",
              "  enabled: false",
              "syslog:",
              "  listen:",
              "    address: 127.0.0.1",
              "    udpPort: " + udp,
              "    tcpPort: " + tcp,
              "  loki:",
              "    url: " + loki.url(),
              "    batchWait: 200ms",
              ""));
      Path data = Files.createDirectories(work.resolve("run/data"));
      run("chown", UID + ":" + UID, data.toString());
      Path hosts = work.resolve("run/hosts");
      Files.writeString(hosts, "127.0.0.1 localhost\n::1 localhost\n");
      // A runtime creates the files it mounts over before the root becomes read-only.
      Files.createFile(rootfs.resolve("etc/hosts"));

      // In a mount and PID namespace: the root read-only; proc, /dev's usual devices, a tmpfs on
      // /tmp, the spec read-only, the data directory writable; then the entrypoint as uid 65532.
      String setup =
          String.join(
              "\n",
              "set -eu",
              "root=$1 conf=$2 data=$3 hosts=$4; shift 4",
              "mount --make-rprivate /",
              "mount --bind \"$root\" \"$root\"",
              "mount -o remount,bind,ro,nosuid,nodev \"$root\"",
              "mount -t proc -o nosuid,nodev,noexec proc \"$root/proc\"",
              "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs \"$root/tmp\"",
              "mount -t tmpfs -o mode=755,nosuid,noexec tmpfs \"$root/dev\"",
              "for d in null zero random urandom; do touch \"$root/dev/$d\"; mount --bind \"/dev/$d\" \"$root/dev/$d\"; done",
              "mount --bind \"$conf\" \"$root/etc/vigil\"",
              "mount -o remount,bind,ro \"$root/etc/vigil\"",
              "mount --bind \"$hosts\" \"$root/etc/hosts\"",
              "mount -o remount,bind,ro \"$root/etc/hosts\"",
              "mount --bind \"$data\" \"$root/var/lib/vigil\"",
              "exec unshare --root=\"$root\" --wd=/var/lib/vigil --setgid="
                  + UID
                  + " --setuid="
                  + UID
                  + " -- \"$@\"",
              "");
      Path script = work.resolve("run/setup");
      Files.writeString(script, setup);

      List<String> cmd =
          new ArrayList<>(
              List.of(
                  unshare.toString(),
                  "--mount",
                  "--pid",
                  "--fork",
                  "--kill-child",
                  "bash",
                  script.toString(),
                  rootfs.toString(),
                  conf.toString(),
                  data.toString(),
                  hosts.toString()));
      cmd.addAll(strings(config.get("config").get("Entrypoint")));
      // The rendered StatefulSet's arguments; the HTTP port a free one, on loopback.
      cmd.addAll(
          List.of(
              "--file=/etc/vigil/vigil.yaml",
              "--data-dir=/var/lib/vigil",
              "--http-port=" + http,
              "--http-address=127.0.0.1"));
      Path log = work.resolve("run/agent.log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().clear();
      pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      Process agent = pb.start();
      try {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest healthz =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/healthz"))
                .timeout(Duration.ofSeconds(5))
                .build();
        await()
            .atMost(AGENT_START)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .failFast(
                () ->
                    assertThat(agent.isAlive()).as("the agent exited: %s", new Lazy(log)).isTrue())
            .until(
                () ->
                    client.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        ProcessHandle jvm =
            agent
                .descendants()
                .filter(
                    p ->
                        p.info().command().map(c -> c.endsWith("/opt/java/bin/java")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no java process under " + agent.pid()));
        String status = Files.readString(Path.of("/proc", "" + jvm.pid(), "status"));
        assertThat(status)
            .containsPattern(
                "(?m)^Uid:\\s+" + UID + "\\s+" + UID + "\\s+" + UID + "\\s+" + UID + "$")
            .containsPattern(
                "(?m)^Gid:\\s+" + UID + "\\s+" + UID + "\\s+" + UID + "\\s+" + UID + "$")
            .containsPattern("(?m)^Groups:\\s*$")
            .containsPattern("(?m)^CapEff:\\s+0+$");
        List<String> argv =
            Arrays.asList(
                Files.readString(Path.of("/proc", "" + jvm.pid(), "cmdline")).split("\0"));
        assertThat(argv).containsAll(launcherAgentFlags());

        String text = "hello from the image " + System.nanoTime();
        byte[] datagram =
            ("<134>1 2026-12-06T07:00:00Z station imagetest - - - " + text)
                .getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
          socket.send(
              new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udp));
        }
        await()
            .atMost(DELIVERY)
            .failFast(
                () ->
                    assertThat(agent.isAlive()).as("the agent exited: %s", new Lazy(log)).isTrue())
            .until(() -> loki.entries().stream().anyMatch(e -> e.line().equals(text)));
        assertThat(
                loki.entries().stream()
                    .filter(e -> e.line().equals(text))
                    .findFirst()
                    .orElseThrow()
                    .labels())
            .containsEntry("app", "imagetest")
            .containsEntry("listener", "udp");
        // The push is snappy-compressed by snappy-java's JNI library, unpacked into /tmp.
        assertThat(Files.readString(Path.of("/proc", "" + jvm.pid(), "maps")))
            .contains("snappyjava");

        jvm.destroy(); // SIGTERM, as the kubelet stops a container
        assertThat(agent.waitFor(STOP.toSeconds(), TimeUnit.SECONDS))
            .as("the agent stops within " + STOP + ": " + read(log))
            .isTrue();
        // 143: the JVM's status after SIGTERM once its shutdown hooks ran.
        assertThat(agent.exitValue()).as(read(log)).isEqualTo(143);
      } finally {
        agent.destroyForcibly();
        agent.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
      }
      String output = read(log);
      assertThat(output).doesNotContain("Picked up", "Exception", "\tat ");
      try (Stream<Path> s = Files.list(data)) {
        assertThat(s.toList()).as("the journal, in the one writable directory").isNotEmpty();
      }
    }
  }

  @Test
  void theBaseIsTheSameBytesWhenBuiltAgain() throws Exception {
    Path again = work.resolve("base-again/base.tar");
    run(
        "bash", System.getProperty("vigil.image.build-base"),
        "--lock", System.getProperty("vigil.image.lock"),
        "--rootfs", System.getProperty("vigil.image.rootfs"),
        "--modules", System.getProperty("vigil.image.modules"),
        "--exclude-files", System.getProperty("vigil.image.exclude-files"),
        "--cache", System.getProperty("vigil.image.cache"),
        "--mirror", System.getProperty("vigil.image.debian.mirror"),
        "--work", work.resolve("base-again/work").toString(),
        "--out", again.toString());
    assertThat(sha256(again)).isEqualTo(sha256(Path.of(System.getProperty("vigil.image.base"))));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** VIGIL_AGENT_DEFAULT_JAVA_OPTS of the launcher, read here independently of the build. */
  static List<String> launcherAgentFlags() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^VIGIL_AGENT_DEFAULT_JAVA_OPTS=\"([^\"]+)\"$")
            .matcher(Files.readString(Repo.resolve("packaging/bin/vigil")));
    assertThat(m.find()).isTrue();
    return List.of(m.group(1).trim().split("\\s+"));
  }

  static JsonNode blob(JsonNode descriptor) throws IOException {
    return JSON.readTree(checkedBlob(descriptor).toFile());
  }

  /** The blob a descriptor names, its size and digest checked. */
  static Path checkedBlob(JsonNode descriptor) throws IOException {
    String digest = descriptor.get("digest").asText();
    assertThat(digest).startsWith("sha256:");
    Path file = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    assertThat(Files.size(file)).isEqualTo(descriptor.get("size").asLong());
    assertThat("sha256:" + sha256(file)).isEqualTo(digest);
    return file;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static boolean isElf(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 0x7f
          && magic[1] == 'E'
          && magic[2] == 'L'
          && magic[3] == 'F';
    }
  }

  static String run(String... command) {
    Tools.Run r = Tools.run(null, COMMAND.toSeconds(), command);
    assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.output()).isZero();
    return r.output();
  }

  /** The log's text when a failure message is made, not when the assertion is set up. */
  record Lazy(Path log) {
    @Override
    public String toString() {
      return read(log);
    }
  }

  static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Mounts, chroot and another uid need root; under CI that is a failure, not a skip. */
  static void requireRoot() {
    if (run("id", "-u").strip().equals("0")) {
      return;
    }
    String message =
        "running the image without a container engine needs root (mount, chroot, setuid); run the tests as root";
    if (Tools.underCi()) {
      throw new AssertionError(message + " (CI=true: not skipped)");
    }
    Assumptions.abort(message);
  }
}
