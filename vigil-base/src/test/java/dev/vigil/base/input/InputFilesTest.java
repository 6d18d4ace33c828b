package dev.vigil.base.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  @TempDir Path dir;

  @Test
  void readsARegularFile() throws Exception {
    Path f = Files.writeString(dir.resolve("a.yaml"), "\ufeffkey: value\n");
    assertThat(InputFiles.readText(f, 100)).isEqualTo("key: value\n");
  }

  @Test
  void refusesAFileOverTheLimit() throws Exception {
    Path f = Files.writeString(dir.resolve("big.yaml"), "x".repeat(101));
    assertThatThrownBy(() -> InputFiles.readText(f, 100))
        .isInstanceOf(InputException.class)
        .hasMessageEndingWith("big.yaml: 101 bytes, larger than the limit of 100 bytes");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refusesDevicesWithoutReadingThem() {
    assertThatThrownBy(() -> InputFiles.readText(Path.of("/dev/zero"), 1 << 20))
        .hasMessage("/dev/zero: not a regular file (a device, FIFO or socket); expected a file");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refusesAFifoWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("x.yaml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThatThrownBy(() -> InputFiles.readText(fifo, 100))
        .hasMessageContaining("not a regular file");
  }

  @Test
  void refusesADirectoryAndAMissingFile() {
    assertThatThrownBy(() -> InputFiles.readText(dir, 100))
        .hasMessageEndingWith("is a directory, expected a file");
    assertThatThrownBy(() -> InputFiles.readText(dir.resolve("none"), 100))
        .hasMessageEndingWith("none: no such file");
  }

  @Test
  void binaryInputIsLocated() {
    byte[] bytes = "a: 1\nb: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> InputFiles.decodeUtf8("f.yaml", bytes))
        .hasMessage("f.yaml:2:4: not UTF-8 text: byte 0xe9 at offset 8; expected UTF-8");
    byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, (byte) 0xff};
    assertThatThrownBy(() -> InputFiles.decodeUtf8("tool", elf))
        .hasMessageContaining("(the file looks binary)");
  }

  @Test
  void boundedStreamReadStopsAtTheLimit() {
    assertThatThrownBy(
            () -> InputFiles.readBounded("-", new ByteArrayInputStream(new byte[1000]), 999))
        .hasMessage("-: larger than the limit of 999 bytes");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void walkVisitsEachRealFileOnceThroughLoopsAndAliases() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.writeString(a.resolve("one.yaml"), "x: 1\n");
    Files.writeString(b.resolve("two.yaml"), "x: 2\n");
    Files.createSymbolicLink(a.resolve("to-b"), b);
    Files.createSymbolicLink(b.resolve("to-a"), a);
    Files.createSymbolicLink(a.resolve("self"), a);
    Files.createSymbolicLink(dir.resolve("alias.yaml"), a.resolve("one.yaml"));
    Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe.yaml").toString()).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

    InputFiles.Walk walk = InputFiles.walk(dir, f -> f.toString().endsWith(".yaml"), 100);

    // alias.yaml is read (it sorts before a/), a/one.yaml is the same file and is not read again.
    assertThat(walk.files())
        .extracting(f -> dir.relativize(f).toString())
        .containsExactly("alias.yaml", "a/to-b/two.yaml");
    assertThat(walk.skipped()).anyMatch(s -> s.contains("one.yaml: same file as one already read"));
    assertThat(walk.skipped()).anyMatch(s -> s.contains("pipe.yaml: not a regular file"));
    assertThat(walk.skipped()).anyMatch(s -> s.contains("already visited"));
  }

  @Test
  void walkStopsAtTheFileLimit() throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(dir.resolve("f" + i + ".yaml"), "x: 1\n");
    }
    InputFiles.Walk walk = InputFiles.walk(dir, f -> true, 3);
    assertThat(walk.files()).hasSize(3);
    assertThat(walk.skipped()).singleElement().asString().contains("more than 3 files");
  }

  @Test
  void printableEscapesControlCharactersAndCuts() {
    assertThat(InputFiles.printable("a\nb\u001b[31mc", 100)).isEqualTo("a\\x0ab\\x1b[31mc");
    assertThat(InputFiles.printable("x".repeat(10), 4)).isEqualTo("xxxx...(6 more characters)");
    assertThat(InputFiles.printable("a\u202eb\u2028c", 100)).isEqualTo("a\\u202eb\\u2028c");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void walkEntersOnlyAcceptedDirectoriesAndSeparatesProblemsFromAliases() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path hidden = Files.createDirectories(dir.resolve(".git"));
    Files.writeString(a.resolve("one.yaml"), "x: 1\n");
    Files.writeString(hidden.resolve("h.yaml"), "x: 1\n");
    Files.createSymbolicLink(a.resolve("self"), a);
    Process p = new ProcessBuilder("mkfifo", a.resolve("pipe.yaml").toString()).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

    InputFiles.Walk walk =
        InputFiles.walk(
            dir,
            d -> !d.getFileName().toString().startsWith("."),
            f -> f.toString().endsWith(".yaml"),
            100);

    assertThat(walk.files())
        .extracting(f -> dir.relativize(f).toString())
        .containsExactly("a/one.yaml");
    assertThat(walk.refused()).singleElement().asString().contains("pipe.yaml: not a regular file");
    assertThat(walk.skipped()).hasSize(2).anyMatch(s -> s.contains("already visited"));
  }
}
