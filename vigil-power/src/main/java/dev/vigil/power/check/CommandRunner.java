package dev.vigil.power.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command with a time limit, capturing its output. */
public final class CommandRunner {
  private CommandRunner() {}

  public record Result(int exitCode, String output) {}

  public static Result run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getInputStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " timed out after " + timeout.toSeconds() + "s");
    }
    return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
  }
}
