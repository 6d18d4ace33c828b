package dev.vigil.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each hostile input in a JVM of its own with 64 MiB of heap and a 512 KiB stack: the process must
 * stay alive and exit 2 within a bounded time, printing one input-error line and nothing on
 * standard error (an OutOfMemoryError or StackOverflowError would print there and exit 1).
 */
class HostileInputIT {
  @TempDir Path dir;

  /** JVM start and one small input on a busy two-core machine, with a wide margin. */
  private static final long BOUND_SECONDS = 60;

  record Run(int code, String out, String err) {}

  private Run run(String... inputs) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-Xss512k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                BoundedLintRun.class.getName()));
    cmd.addAll(List.of(inputs));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    boolean ended = p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended).as("lint of %s ended within %d s", List.of(inputs), BOUND_SECONDS).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void everyHostileInputEndsAsOneInputErrorInABoundedJvm() throws Exception {
    Map<String, Path> cases = HostileInputs.write(dir);
    for (Map.Entry<String, Path> c : cases.entrySet()) {
      Run r = run(c.getValue().toString());
      assertThat(r.err()).as(c.getKey()).isEmpty();
      assertThat(r.code()).as(c.getKey() + "\n" + r.out()).isEqualTo(2);
      assertThat(r.out().lines().filter(l -> l.startsWith("input error")).toList())
          .as(c.getKey())
          .singleElement()
          .satisfies(l -> assertThat(l).contains(c.getValue().getFileName().toString() + ":"));
    }
  }

  @Test
  void aDirectoryOfThemAllEndsToo() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Map<String, Path> cases = HostileInputs.write(repo);
    Files.createSymbolicLink(repo.resolve("self"), Path.of("."));
    Run r = run(repo.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out().lines().filter(l -> l.startsWith("input error"))).hasSize(cases.size());
  }
}
