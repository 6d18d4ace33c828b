package dev.vigil.cli;

import dev.vigil.base.input.InputException;
import dev.vigil.base.input.InputFiles;
import dev.vigil.power.MagicPacket;
import dev.vigil.power.MonotonicClock;
import dev.vigil.power.WakeCoordinator;
import dev.vigil.power.WakeSender;
import dev.vigil.power.WakeVerifier;
import dev.vigil.power.Waker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil wake NODE|MAC [--wait]}: exit 0 woke (or sent), 1 did not wake, 2 bad input. */
@Command(
    name = "wake",
    mixinStandardHelpOptions = true,
    description = {
      "Send a Wake-on-LAN magic packet to the directed broadcast of every up interface, to"
          + " 255.255.255.255 and to the node's address, on ports 9 and 7; with --wait, wait"
          + " until the node answers.",
      "Exit code: 0 woke (or sent, without --wait), 1 did not wake, 2 usage or input error."
    })
public final class WakeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NODE|MAC",
      description = "Node name from the spec, or a MAC address.")
  String target;

  @Option(
      names = "--wait",
      description = "Wait until the node answers (TCP --verify-port, or ICMP with 0).")
  boolean waitForNode;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "How long --wait waits (default: power.wake.verifyTimeout, 120s).")
  Duration timeout;

  @Option(
      names = "--address",
      description = "Node address: unicast destination and what --wait probes.")
  String address;

  @Option(
      names = "--verify-port",
      description =
          "TCP port probed by --wait; 0 = ICMP echo (default: power.wake.verifyPort, 22).")
  Integer verifyPort;

  @Option(names = "--port", split = ",", description = "UDP ports (default 9,7).")
  List<Integer> ports;

  @Option(
      names = "--retries",
      description = "Resend this many times while waiting (default: power.wake.retries, 3).")
  Integer retries;

  @Option(
      names = "--secureon-env",
      paramLabel = "VAR",
      description = "Environment variable holding the SecureOn password.")
  String secureOnEnv;

  @Option(
      names = "--secureon-file",
      paramLabel = "FILE",
      description = "File holding the SecureOn password.")
  Path secureOnFile;

  @Option(
      names = "--etherwake",
      description = "Also send a raw Ethernet frame through etherwake/ether-wake.")
  boolean etherwake;

  /** The spec to look a node up by name in; ./vigil.yaml when none is given. */
  @Mixin SpecOptions specOptions;

  @Option(
      names = "--no-node-ready",
      negatable = true,
      defaultValue = "true",
      description =
          "With --wait and a node name, also wait for Kubernetes NodeReady when a kubeconfig is"
              + " available (power.kubeconfig or $KUBECONFIG).")
  boolean nodeReady;

  /** What the spec says about the target node. */
  private record Target(
      String node,
      byte[] mac,
      String address,
      byte[] secureOn,
      dev.vigil.spec.power.WakeSendSpec wake,
      String kubeconfig) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Target t;
    try {
      t = resolve();
    } catch (IllegalArgumentException e) {
      err.println("vigil wake: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    byte[] mac = t.mac();
    if (address == null) {
      address = t.address();
    }
    var w = t.wake();
    if (timeout == null) {
      timeout =
          w != null && w.verifyTimeout() != null ? w.verifyTimeout() : Duration.ofSeconds(120);
    }
    if (verifyPort == null) {
      verifyPort = w != null ? w.verifyPort() : 22;
    }
    if (retries == null) {
      retries = w != null ? w.retries() : 3;
    }
    if ((ports == null || ports.isEmpty())
        && w != null
        && w.ports() != null
        && !w.ports().isEmpty()) {
      ports = w.ports();
    }
    if (!etherwake && w != null && w.etherwake()) {
      etherwake = true;
    }
    if (waitForNode && address == null) {
      err.println(
          "vigil wake: --wait needs the node's address (--address, or the node's address in the"
              + " spec)");
      return ExitCodes.INPUT;
    }
    if (verifyPort < 0
        || verifyPort > 65535
        || retries < 0
        || timeout.isZero()
        || timeout.isNegative()) {
      err.println("vigil wake: --verify-port must be 0-65535, --retries >= 0, --timeout > 0");
      return ExitCodes.INPUT;
    }
    byte[] secureOn;
    try {
      secureOn = secureOn();
    } catch (IllegalArgumentException e) {
      err.println("vigil wake: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    if (secureOn == null) {
      secureOn = t.secureOn();
    }
    WakeSender sender;
    try {
      sender = new WakeSender(ports, etherwake, null);
    } catch (IllegalArgumentException e) {
      err.println("vigil wake: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    io.fabric8.kubernetes.client.KubernetesClient kubernetes = null;
    if (waitForNode && nodeReady && t.node() != null) {
      try {
        kubernetes =
            dev.vigil.power.KubernetesAccess.fromSpec(t.kubeconfig(), System.getenv()).orElse(null);
      } catch (IllegalArgumentException e) {
        err.println("vigil wake: " + e.getMessage());
        return ExitCodes.INPUT;
      }
      if (kubernetes != null) {
        out.println("waiting for NodeReady of " + t.node() + " as well");
      }
    }
    Waker waker =
        new Waker(
            sender,
            new WakeVerifier(verifyPort, kubernetes),
            MonotonicClock.SYSTEM,
            timeout,
            retries,
            Duration.ofSeconds(1));
    try {
      WakeCoordinator.Outcome o =
          waker.wake(mac, secureOn, address, t.node(), waitForNode, line -> out.println(line));
      if (o.woke()) {
        out.println(
            waitForNode
                ? "woke: " + target + " answered after " + o.latency().toMillis() + " ms"
                : "sent: magic packet for " + target);
        out.flush();
        return ExitCodes.OK;
      }
      err.println("did not wake: " + target + ": " + o.detail());
      return ExitCodes.FINDINGS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("vigil wake: interrupted");
      return ExitCodes.FINDINGS;
    } finally {
      if (kubernetes != null) {
        kubernetes.close();
      }
    }
  }

  private Target resolve() {
    if (MagicPacket.looksLikeMac(target)) {
      return new Target(null, MagicPacket.parseMac(target), null, null, null, null);
    }
    Path file = specOptions.given() ? specOptions.file : Path.of("vigil.yaml");
    dev.vigil.spec.bind.Bound<dev.vigil.spec.model.Station> bound;
    try {
      bound = dev.vigil.spec.SpecLoader.load(file, specOptions.overlays);
    } catch (dev.vigil.spec.SpecLoader.SpecFileException | InputException e) {
      throw new IllegalArgumentException(
          "'"
              + target
              + "' is not a MAC address, so it is looked up as a node in "
              + file
              + ": "
              + e.getMessage());
    }
    if (!bound.ok()) {
      throw new IllegalArgumentException(file + " has problems:\n" + bound.report());
    }
    dev.vigil.spec.model.Station station = bound.value();
    dev.vigil.spec.model.Node node =
        station.nodes().stream().filter(n -> n.name().equals(target)).findFirst().orElse(null);
    dev.vigil.spec.power.PowerSpec power = station.power();
    dev.vigil.spec.power.PowerNodeSpec pn =
        power == null || power.nodes() == null ? null : power.nodes().get(target);
    if (node == null && pn == null) {
      throw new IllegalArgumentException(
          "no node '"
              + target
              + "' in "
              + file
              + " (nodes: "
              + station.nodes().stream().map(dev.vigil.spec.model.Node::name).toList()
              + ")");
    }
    String mac =
        pn != null && pn.mac() != null
            ? pn.mac()
            : node != null && node.mac() != null ? node.mac().text() : null;
    if (mac == null) {
      throw new IllegalArgumentException("node '" + target + "' has no MAC address in " + file);
    }
    String addr =
        pn != null && pn.address() != null
            ? pn.address()
            : node != null ? node.address().text() : null;
    byte[] pw = null;
    if (pn != null && pn.secureOn() != null && pn.secureOn().isSet()) {
      String v = dev.vigil.power.Secrets.resolve(pn.secureOn(), System.getenv()).orElseThrow();
      pw = MagicPacket.parseSecureOn(v);
    }
    return new Target(
        target,
        MagicPacket.parseMac(mac),
        addr,
        pw,
        power == null ? null : power.wake(),
        power == null ? null : power.kubeconfig());
  }

  private byte[] secureOn() {
    if (secureOnEnv != null && secureOnFile != null) {
      throw new IllegalArgumentException("use one of --secureon-env and --secureon-file");
    }
    String value = null;
    if (secureOnEnv != null) {
      value = System.getenv(secureOnEnv);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("environment variable " + secureOnEnv + " is not set");
      }
    } else if (secureOnFile != null) {
      try {
        value = InputFiles.readText(secureOnFile, 4096).strip();
      } catch (InputException e) {
        throw new IllegalArgumentException("--secureon-file " + e.getMessage());
      }
    }
    return value == null ? null : MagicPacket.parseSecureOn(value);
  }
}
