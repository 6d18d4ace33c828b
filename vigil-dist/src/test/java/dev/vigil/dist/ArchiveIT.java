package dev.vigil.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive, unpacked by tar as a user would, run through its launcher. */
class ArchiveIT {
  /** A JVM's start on a busy two-core machine, with the class loading of a short command. */
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @TempDir static Path unpacked;
  static Path home;

  @BeforeAll
  static void unpack() {
    Path archive = Path.of(System.getProperty("vigil.dist.archive"));
    assertThat(archive).exists();
    Proc tar = Proc.run(COMMAND, "tar", "-xzf", archive.toString(), "-C", unpacked.toString());
    assertThat(tar.exit()).as(tar.output()).isZero();
    home = unpacked.resolve(archive.getFileName().toString().replace(".tar.gz", ""));
  }

  @Test
  void theLayoutHasLauncherLibrariesUnitsManPagesCompletionAndSchema() throws Exception {
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/vigil")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(home.resolve("share/systemd/vigil-agent.service")).isRegularFile();
    assertThat(home.resolve("share/systemd/vigil-node-agent.service")).isRegularFile();
    assertThat(home.resolve("share/man/man1/vigil.1.gz")).isRegularFile();
    assertThat(home.resolve("share/man/man1/vigil-agent.1.gz")).isRegularFile();
    assertThat(home.resolve("share/bash-completion/completions/vigil")).isRegularFile();
    assertThat(home.resolve("share/zsh/vendor-completions/_vigil")).isRegularFile();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(Files.readString(home.resolve("share/schema/station-v1.json")))
        .isEqualTo(Files.readString(Repo.resolve("schema/station-v1.json")));
  }

  @Test
  void libHoldsOneNettyNoVertxAndAnSlf4jProvider() throws Exception {
    List<String> jars;
    try (Stream<Path> s = Files.list(home.resolve("lib"))) {
      jars = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).noneMatch(j -> j.startsWith("vertx-"));
    assertThat(jars).noneMatch(j -> j.startsWith("kubernetes-httpclient-vertx"));
    assertThat(jars).anyMatch(j -> j.startsWith("kubernetes-httpclient-jdk-"));
    assertThat(jars).anyMatch(j -> j.startsWith("slf4j-jdk14-"));
    assertThat(
            jars.stream()
                .filter(j -> j.startsWith("netty-"))
                .map(j -> j.replaceAll("^netty-[a-z0-9-]+?-(\\d.*)\\.jar$", "$1"))
                .distinct())
        .hasSize(1);
    // The build tool that writes the man pages is not shipped.
    assertThat(jars).noneMatch(j -> j.startsWith("picocli-codegen"));
  }

  @Test
  void theLauncherFindsItsLibrariesThroughASymlinkAndReportsTheCommit(@TempDir Path bin)
      throws Exception {
    Path link = bin.resolve("vigil");
    Files.createSymbolicLink(link, home.resolve("bin/vigil"));
    Proc v = Proc.run(COMMAND, link.toString(), "--version");
    assertThat(v.exit()).as(v.output()).isZero();
    assertThat(v.output()).containsPattern("^vigil \\S+ \\(commit [0-9a-f]{12}\\)\n");
    assertThat(v.output()).contains("Java ");
  }

  @Test
  void shortCommandsAndTheAgentGetTheirOwnJvmFlagsAndVigilJavaOptsIsHonoured() throws Exception {
    Map<String, String> showVm = Map.of("VIGIL_JAVA_OPTS", "-XshowSettings:vm");
    String spec = Repo.resolve("examples/syslog-gateway/vigil.yaml").toString();
    Proc agent =
        Proc.run(
            COMMAND,
            showVm,
            List.of(home.resolve("bin/vigil").toString(), "agent", "--dry-run", "-f", spec));
    assertThat(agent.exit()).as(agent.output()).isZero();
    // The launcher's default for the agent bounds its heap, at the -Xmx of its defaults line.
    java.util.regex.Matcher xmx =
        java.util.regex.Pattern.compile(
                "(?m)^VIGIL_AGENT_DEFAULT_JAVA_OPTS=\"[^\"]*-Xmx(\\d+)m[^\"]*\"$")
            .matcher(Files.readString(Repo.resolve("packaging/bin/vigil")));
    assertThat(xmx.find())
        .as("-Xmx in VIGIL_AGENT_DEFAULT_JAVA_OPTS of packaging/bin/vigil")
        .isTrue();
    assertThat(agent.output()).contains("Max. Heap Size: " + xmx.group(1) + ".00M");

    Proc tuned =
        Proc.run(
            COMMAND,
            Map.of("VIGIL_JAVA_OPTS", "-XshowSettings:vm", "VIGIL_AGENT_JAVA_OPTS", "-Xmx48m"),
            List.of(home.resolve("bin/vigil").toString(), "agent", "--dry-run", "-f", spec));
    assertThat(tuned.exit()).as(tuned.output()).isZero();
    assertThat(tuned.output()).contains("Max. Heap Size: 48.00M");

    Proc later =
        Proc.run(
            COMMAND,
            Map.of(
                "VIGIL_JAVA_OPTS", "-XshowSettings:vm -Xmx40m", "VIGIL_AGENT_JAVA_OPTS", "-Xmx48m"),
            List.of(home.resolve("bin/vigil").toString(), "agent", "--dry-run", "-f", spec));
    assertThat(later.output())
        .as("VIGIL_JAVA_OPTS comes last and wins")
        .contains("Max. Heap Size: 40.00M");
  }

  @Test
  void anOldJavaIsRefusedWithAClearMessage(@TempDir Path jdk) throws Exception {
    Files.createDirectories(jdk.resolve("bin"));
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\necho 'java 11 must not be started' >&2\nexit 99\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
    Proc p =
        Proc.run(
            COMMAND,
            Map.of("JAVA_HOME", jdk.toString()),
            List.of(home.resolve("bin/vigil").toString(), "--version"));
    assertThat(p.exit()).isEqualTo(2);
    assertThat(p.output())
        .contains("is Java 11; vigil needs Java 17 or newer")
        .doesNotContain("must not be started");
  }

  @Test
  void aJavaHomeWithoutJavaIsNamed(@TempDir Path empty) {
    Proc p =
        Proc.run(
            COMMAND,
            Map.of("JAVA_HOME", empty.toString()),
            List.of(home.resolve("bin/vigil").toString(), "--version"));
    assertThat(p.exit()).isEqualTo(2);
    assertThat(p.output()).contains("JAVA_HOME is " + empty).contains("is not an executable");
  }

  @Test
  void bashCompletesCommandsAndOptionsFromTheShippedScript() {
    String script = home.resolve("share/bash-completion/completions/vigil").toString();
    assertThat(complete(script, "vigil", "ren")).containsExactly("render");
    assertThat(complete(script, "vigil", "agent", "--data")).containsExactly("--data-dir");
    assertThat(complete(script, "vigil", "completion", ""))
        .containsExactlyInAnyOrder("bash", "zsh");
  }

  /** What bash's completion offers for the last word, as bash calls the completion function. */
  static List<String> complete(String script, String... words) {
    String line = String.join(" ", words);
    String program =
        "source "
            + script
            + "\n"
            + "COMP_WORDS=("
            + String.join(" ", Stream.of(words).map(w -> "'" + w + "'").toList())
            + ")\n"
            + "COMP_CWORD="
            + (words.length - 1)
            + "\n"
            + "COMP_LINE='"
            + line
            + "'\nCOMP_POINT="
            + line.length()
            + "\n"
            + "_complete_vigil 2>/dev/null\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Proc p = Proc.run(COMMAND, "bash", "-c", program);
    assertThat(p.exit()).as(p.output()).isZero();
    return p.output().lines().filter(l -> !l.isBlank()).toList();
  }
}
