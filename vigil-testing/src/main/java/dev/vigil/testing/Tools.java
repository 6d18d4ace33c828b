package dev.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real tools that tests run against (promtool, amtool, chronyd, rsyslogd, ...).
 *
 * <p>Under CI ({@code CI=true}) a missing tool fails the test: the test script installs every tool,
 * so a missing one is a broken install step, never a reason to skip. On a developer machine the
 * test is skipped with a message that names the package to install.
 */
public final class Tools {
  private static final List<Path> EXTRA_DIRS =
      List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/local/sbin"));

  private Tools() {}

  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Looks a program up on PATH and the sbin directories. */
  public static Optional<Path> find(String program) {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    dirs.addAll(EXTRA_DIRS);
    for (Path dir : dirs) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the program's path, or fails (CI) / skips (local) naming the Debian package that
   * provides it.
   */
  public static Path require(String program, String debianPackage) {
    Optional<Path> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        program
            + " is not installed (Debian package "
            + debianPackage
            + "; ./scripts/test installs it)";
    if (underCi()) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    throw new IllegalStateException("unreachable");
  }

  /** Result of running a tool to completion. */
  public record Run(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command with stdout and stderr merged, with a timeout. */
  public static Run run(Path workDir, long timeoutSeconds, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Path out = null;
    try {
      // Output goes to a file, so the timeout holds even when the program never closes its
      // output (reading a pipe to its end would wait for that first).
      out = Files.createTempFile("vigil-tool-", ".out");
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "timed out after "
                + timeoutSeconds
                + "s: "
                + command
                + "\n"
                + new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.UTF_8));
      }
      return new Run(
          p.exitValue(),
          new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind does not change the result
        }
      }
    }
  }

  public static Run run(Path workDir, long timeoutSeconds, String... command) {
    return run(workDir, timeoutSeconds, List.of(command));
  }
}
