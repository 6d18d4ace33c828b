package dev.vigil.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program run to completion within a bound, its output (stdout and stderr) captured. */
record Proc(int exit, String output) {
  static Proc run(Duration bound, Map<String, String> env, List<String> command) {
    Path log = null;
    try {
      log = Files.createTempFile("vigil-dist-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "still running after "
                + bound
                + ": "
                + command
                + "\n"
                + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
      }
      return new Proc(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a temp file left behind is not the test's concern
        }
      }
    }
  }

  static Proc run(Duration bound, String... command) {
    return run(bound, Map.of(), List.of(command));
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n" + output;
  }
}
