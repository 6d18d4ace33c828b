package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.lint.output.HumanFormat;
import dev.vigil.lint.output.JsonFormat;
import dev.vigil.lint.output.JunitFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing hangs, nothing blows up: every hostile input ends, within a bounded time, as exactly one
 * located input error and exit code 2, and no Error (out of memory, stack overflow) escapes.
 */
class HostileInputTest {
  @TempDir Path dir;

  private static final Duration BOUND = Duration.ofSeconds(30);

  private static Report lint(String... inputs) {
    return lint(InputStream.nullInputStream(), inputs);
  }

  private static Report lint(InputStream stdin, String... inputs) {
    AtomicReference<Throwable> escaped = new AtomicReference<>();
    Report r =
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              try {
                return new Linter(LintConfig.defaults())
                    .lintInputs(List.of(inputs), stdin, Optional.empty());
              } catch (Throwable t) {
                escaped.set(t);
                return null;
              }
            });
    assertThat(escaped.get()).as("nothing escapes the linter").isNull();
    return r;
  }

  @Test
  void eachHostileFileIsOneLocatedInputError() throws Exception {
    Map<String, Path> cases = HostileInputs.write(dir);
    for (Map.Entry<String, Path> c : cases.entrySet()) {
      Report r = lint(c.getValue().toString());
      assertThat(r.errors()).as(c.getKey()).hasSize(1);
      assertThat(r.exitCode()).as(c.getKey()).isEqualTo(2);
      InputError e = r.errors().get(0);
      assertThat(e.source()).as(c.getKey()).isEqualTo(c.getValue().toString());
      assertThat(e.toString()).as(c.getKey()).doesNotContain("\n").doesNotContain("Exception");
    }
  }

  @Test
  void messagesSayWhatAndWhere() throws Exception {
    Map<String, Path> cases = HostileInputs.write(dir);
    assertThat(lint(cases.get("billion laughs").toString()).errors().get(0).toString())
        .matches(".*bomb.yaml:\\d+:\\d+: more than 5000000 nodes once aliases are expanded.*");
    assertThat(lint(cases.get("deep YAML").toString()).errors().get(0).toString())
        .endsWith("deep.yaml:2:131: collections nested more than 128 levels deep");
    assertThat(lint(cases.get("deep JSON").toString()).errors().get(0).toString())
        .matches(".*deep.json:1:\\d+: collections nested more than 128 levels deep");
    assertThat(lint(cases.get("deep config in a ConfigMap").toString()).errors().get(0).toString())
        .endsWith(
            "deep-cm.yaml:5: ConfigMap p data.prometheus.yml:2:131: collections nested more than 128 levels deep");
    assertThat(lint(cases.get("FIFO").toString()).errors().get(0).message())
        .startsWith("not a regular file");
    assertThat(lint(cases.get("link to /dev/zero").toString()).errors().get(0).message())
        .startsWith("not a regular file");
    assertThat(lint(cases.get("binary").toString()).errors().get(0).toString())
        .matches(
            ".*binary.yaml:1:\\d+: not UTF-8 text: byte 0x[0-9a-f]{2} at offset \\d+ \\(the file looks binary\\)");
    assertThat(lint(cases.get("garbage Alloy").toString()).errors().get(0).toString())
        .endsWith("garbage.alloy:1:7: not Alloy configuration: expected '=' or '{', found 'world'");
    assertThat(lint(cases.get("garbage INI").toString()).errors().get(0).toString())
        .contains("garbage.ini:1:1: not INI")
        .contains("\\x01\\x02");
    assertThat(lint(cases.get("YAML named .json").toString()).errors().get(0).toString())
        .contains("yaml.json:1:1: not JSON");
  }

  @Test
  void aDirectoryWithLoopsAFifoAndADeviceLinkEnds() throws Exception {
    Path d = Files.createDirectories(dir.resolve("repo/a"));
    Files.writeString(
        d.resolve("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n");
    Files.createSymbolicLink(d.resolve("self"), Path.of("."));
    Files.createSymbolicLink(d.resolve("up"), Path.of(".."));
    Files.createSymbolicLink(dir.resolve("repo/loop1"), dir.resolve("repo/loop2"));
    Files.createSymbolicLink(dir.resolve("repo/loop2"), dir.resolve("repo/loop1"));
    Files.createSymbolicLink(dir.resolve("repo/looping.yaml"), dir.resolve("repo/looping.yaml"));
    Files.createSymbolicLink(d.resolve("zero.yaml"), Path.of("/dev/zero"));
    Process p = new ProcessBuilder("mkfifo", d.resolve("x.yaml").toString()).start();
    assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    Report r = lint(dir.resolve("repo").toString());

    assertThat(r.objects()).as("the pod is read once, not once per path to it").isEqualTo(1);
    assertThat(r.errors())
        .extracting(InputError::toString)
        .anySatisfy(
            s -> assertThat(s).endsWith("x.yaml: not a regular file (a device, FIFO or socket)"))
        .anySatisfy(
            s -> assertThat(s).endsWith("zero.yaml: not a regular file (a device, FIFO or socket)"))
        .anySatisfy(s -> assertThat(s).contains("looping.yaml: cannot read: "))
        .as("links that loop without standing for a manifest are skipped, not errors")
        .hasSize(3);
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void stdinIsBoundedAndDecoded() {
    byte[] bomb = HostileInputs.billionLaughs().getBytes(StandardCharsets.UTF_8);
    assertThat(lint(new ByteArrayInputStream(bomb), "-").errors())
        .singleElement()
        .satisfies(e -> assertThat(e.toString()).startsWith("-:").contains("aliases are expanded"));
    byte[] latin1 = "kind: Pod\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(lint(new ByteArrayInputStream(latin1), "-").errors())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.toString())
                    .isEqualTo("-:2:10: not UTF-8 text: byte 0xe9 at offset 19; expected UTF-8"));
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'a';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'a');
            return len;
          }
        };
    assertThat(lint(endless, "-").errors())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .isEqualTo("larger than the limit of " + Loader.MAX_INPUT_BYTES + " bytes"));
  }

  @Test
  void controlCharactersInNamesCannotForgeOutputLines() throws Exception {
    String evil = "x\n  error    forged.yaml:1  pss-privileged  \u001b[32mall good\u001b[0m.yaml";
    Path f =
        Files.writeString(
            dir.resolve(evil),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"p\\e[31m\\nq\"}\nspec: {containers: []}\n");
    Report r = lint(f.toString());
    assertThat(r.findings()).isNotEmpty();
    StringWriter human = new StringWriter();
    HumanFormat.write(r, new PrintWriter(human), false);
    StringWriter junit = new StringWriter();
    JunitFormat.write(r, new PrintWriter(junit));
    StringWriter json = new StringWriter();
    JsonFormat.write(r, json);
    for (String out : List.of(human.toString(), junit.toString(), json.toString())) {
      assertThat(out)
          .doesNotContain("\u001b")
          .doesNotContain("\nforged")
          .doesNotContain("\n  error    forged");
    }
    assertThat(human.toString())
        .contains("x\\x0a  error    forged.yaml:1")
        .contains("p\\x1b[31m\\x0aq");
    Files.writeString(f, "kind: [\n");
    assertThat(lint(f.toString()).errors().get(0).toString())
        .doesNotContain("\n")
        .contains("\\x1b[32m");
  }
}
