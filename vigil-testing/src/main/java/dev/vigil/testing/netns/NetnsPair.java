package dev.vigil.testing.netns;

import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces joined by a veth pair, created for one test and deleted afterwards.
 *
 * <p>Traffic a test sends inside these namespaces (broadcasts included) can only leave through the
 * veth pair, so it never reaches the machine's real interfaces. Names are unique per JVM and
 * instance; {@link #close()} deletes both namespaces (which deletes the veth pair), and a shutdown
 * hook does the same if the test forgets or the JVM dies early.
 *
 * <p>Creating namespaces needs root. When that fails the test fails under CI and is skipped on a
 * developer machine.
 */
public final class NetnsPair implements Closeable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String nsA;
  private final String nsB;
  private final String addressA;
  private final String addressB;
  private final String broadcast;
  private final Thread cleanupHook;
  private volatile boolean closed;

  private NetnsPair(String nsA, String nsB, String addressA, String addressB, String broadcast) {
    this.nsA = nsA;
    this.nsB = nsB;
    this.addressA = addressA;
    this.addressB = addressB;
    this.broadcast = broadcast;
    this.cleanupHook = new Thread(this::deleteQuietly, "netns-cleanup-" + nsA);
  }

  /**
   * Creates namespaces {@code <prefix>a} / {@code <prefix>b}, joined by veth interfaces {@code
   * veth0} in both, addressed 10.250.S.1/24 and 10.250.S.2/24.
   */
  public static NetnsPair create() {
    Tools.require("ip", "iproute2");
    long pid = ProcessHandle.current().pid();
    int n = COUNTER.incrementAndGet();
    String prefix = "vg" + (pid % 100000) + "x" + n;
    int subnet = (int) ((pid + n) % 250) + 1;
    String a = "10.250." + subnet + ".1";
    String b = "10.250." + subnet + ".2";
    NetnsPair pair = new NetnsPair(prefix + "a", prefix + "b", a, b, "10.250." + subnet + ".255");
    Runtime.getRuntime().addShutdownHook(pair.cleanupHook);
    try {
      pair.setUp();
    } catch (RuntimeException | AssertionError e) {
      pair.close();
      String message = "could not create network namespaces (needs root): " + e.getMessage();
      if (Tools.underCi()) {
        throw new AssertionError(message, e);
      }
      Assumptions.abort(message);
    }
    return pair;
  }

  private void setUp() {
    ip("netns", "add", nsA);
    ip("netns", "add", nsB);
    // Created inside the first namespace with its peer in the second: never in the host's.
    ip("-n", nsA, "link", "add", "veth0", "type", "veth", "peer", "name", "veth0", "netns", nsB);
    inNs(nsA, "ip", "addr", "add", addressA + "/24", "brd", "+", "dev", "veth0");
    inNs(nsB, "ip", "addr", "add", addressB + "/24", "brd", "+", "dev", "veth0");
    for (String ns : List.of(nsA, nsB)) {
      inNs(ns, "ip", "link", "set", "lo", "up");
      inNs(ns, "ip", "link", "set", "veth0", "up");
    }
  }

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("ip");
    cmd.addAll(List.of(args));
    check(cmd);
  }

  private static void inNs(String ns, String... args) {
    check(execCommand(ns, List.of(args)));
  }

  private static void check(List<String> cmd) {
    Tools.Run run = Tools.run(null, 30, cmd);
    if (!run.ok()) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + run.output().trim());
    }
  }

  /** The command line that runs {@code command} inside namespace {@code ns}. */
  public static List<String> execCommand(String ns, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    return cmd;
  }

  public String nsA() {
    return nsA;
  }

  public String nsB() {
    return nsB;
  }

  public String addressA() {
    return addressA;
  }

  public String addressB() {
    return addressB;
  }

  /** Directed broadcast address of the /24 both ends share. */
  public String broadcast() {
    return broadcast;
  }

  /** Runs a command to completion inside a namespace. */
  public Tools.Run run(String ns, long timeoutSeconds, List<String> command) {
    return Tools.run(null, timeoutSeconds, execCommand(ns, command));
  }

  /** Starts a long-running command inside a namespace; the caller destroys it. */
  public Process start(String ns, List<String> command) {
    try {
      return new ProcessBuilder(execCommand(ns, command)).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "could not start " + command + " in " + ns + ": " + e.getMessage(), e);
    }
  }

  private void deleteQuietly() {
    for (String ns : List.of(nsA, nsB)) {
      try {
        Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
      } catch (Exception ignored) {
        // Best effort: the namespace may never have been created.
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    deleteQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException ignored) {
      // Already shutting down: the hook runs anyway.
    }
  }
}
