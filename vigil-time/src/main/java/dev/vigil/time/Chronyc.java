package dev.vigil.time;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code chronyc} in CSV mode ({@code -c}) without DNS lookups ({@code -n}) and parses its
 * answers. The base command is configurable so the probe can talk to a chronyd on another command
 * port or socket (e.g. {@code chronyc -h 127.0.0.1 -p 323}).
 */
public final class Chronyc {
  private final List<String> baseCommand;
  private final Duration timeout;

  public Chronyc(List<String> baseCommand, Duration timeout) {
    if (baseCommand == null || baseCommand.isEmpty()) {
      throw new IllegalArgumentException("chronyc command is required");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.baseCommand = List.copyOf(baseCommand);
    this.timeout = timeout;
  }

  /** {@code chronyc} on PATH, talking to the local chronyd the default way. */
  public static Chronyc local() {
    return new Chronyc(List.of("chronyc"), Duration.ofSeconds(5));
  }

  /** chronyc talking to a chronyd command port over UDP. */
  public static Chronyc udp(String chronycPath, String host, int port) {
    return new Chronyc(
        List.of(chronycPath, "-h", host, "-p", Integer.toString(port)), Duration.ofSeconds(5));
  }

  public ChronyTracking tracking() throws ChronycException {
    return parse("tracking", out -> ChronyCsv.parseTracking(out));
  }

  public List<ChronySource> sources() throws ChronycException {
    return parse("sources", out -> ChronyCsv.parseSources(out));
  }

  private interface Parser<T> {
    T parse(String out);
  }

  private <T> T parse(String command, Parser<T> parser) throws ChronycException {
    String out = run(command);
    try {
      return parser.parse(out);
    } catch (IllegalArgumentException e) {
      throw new ChronycException(e.getMessage(), e);
    }
  }

  private String run(String command) throws ChronycException {
    List<String> cmd = new ArrayList<>(baseCommand);
    cmd.add("-c");
    cmd.add("-n");
    cmd.add(command);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ChronycException("cannot run " + baseCommand.get(0) + ": " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      // chronyc's output is a few hundred bytes: reading it to the end cannot block the child.
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ChronycException(
            "chronyc " + command + " timed out after " + timeout.toSeconds() + "s");
      }
      String out = new String(bytes, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new ChronycException(
            "chronyc " + command + " exited " + p.exitValue() + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      p.destroyForcibly();
      throw new ChronycException("reading chronyc output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ChronycException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "Chronyc" + baseCommand;
  }

  /** chronyc could not be run, failed, or printed something unparseable. */
  public static final class ChronycException extends Exception {
    public ChronycException(String message) {
      super(message);
    }

    public ChronycException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
