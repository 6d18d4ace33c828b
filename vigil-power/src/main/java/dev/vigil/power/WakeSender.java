package dev.vigil.power;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Sends magic packets over UDP to the directed broadcast of every up, non-loopback IPv4 interface,
 * to 255.255.255.255 and to the node's last known address, on each configured port.
 *
 * <p>Each broadcast goes through a socket bound to the interface's own address: Linux then routes
 * the limited broadcast out of that interface, instead of whichever one the default route names
 * (the "broadcast went out the wrong interface" failure).
 */
public final class WakeSender {
  private static final Logger LOG = Logger.getLogger(WakeSender.class.getName());
  public static final List<Integer> DEFAULT_PORTS = List.of(9, 7);
  private static final String LIMITED_BROADCAST = "255.255.255.255";

  private final List<Integer> ports;
  private final boolean etherwake;
  private final String etherwakeInterface;

  public WakeSender(List<Integer> ports, boolean etherwake, String etherwakeInterface) {
    this.ports = ports == null || ports.isEmpty() ? DEFAULT_PORTS : List.copyOf(ports);
    for (int p : this.ports) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("expected a port 1-65535, got " + p);
      }
    }
    this.etherwake = etherwake;
    this.etherwakeInterface = etherwakeInterface;
  }

  @Override
  public String toString() {
    return "WakeSender{ports="
        + ports
        + ", destinations=[directed broadcast of each up IPv4 interface, 255.255.255.255,"
        + " last known address], etherwake="
        + etherwake
        + (etherwakeInterface == null ? "" : " on " + etherwakeInterface)
        + "}";
  }

  /** One datagram (or raw frame) that was sent, or failed to be. */
  public record Sent(String via, String destination, int port, boolean ok, String error) {
    @Override
    public String toString() {
      return destination + ":" + port + " via " + via + (ok ? "" : " FAILED: " + error);
    }
  }

  /** A broadcast-capable interface: its IPv4 address and directed broadcast. */
  public record Broadcast(String interfaceName, InetAddress address, InetAddress broadcast) {}

  public static List<Broadcast> broadcastInterfaces() throws SocketException {
    List<Broadcast> out = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
        if (ia.getAddress() instanceof Inet4Address && ia.getBroadcast() != null) {
          out.add(new Broadcast(nif.getName(), ia.getAddress(), ia.getBroadcast()));
        }
      }
    }
    return out;
  }

  /**
   * Sends the packet everywhere it should go. Individual failures are reported in the result, not
   * thrown: one unplugged interface must not stop the others.
   */
  public List<Sent> send(byte[] mac, byte[] secureOn, String lastKnownAddress) {
    byte[] packet = MagicPacket.build(mac, secureOn);
    List<Sent> sent = new ArrayList<>();
    List<Broadcast> interfaces;
    try {
      interfaces = broadcastInterfaces();
    } catch (SocketException e) {
      interfaces = List.of();
      sent.add(new Sent("-", "interfaces", 0, false, e.getMessage()));
    }
    for (Broadcast b : interfaces) {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(b.address(), 0))) {
        s.setBroadcast(true);
        String via = b.interfaceName() + "/" + b.address().getHostAddress();
        for (String dest : List.of(b.broadcast().getHostAddress(), LIMITED_BROADCAST)) {
          for (int port : ports) {
            sent.add(sendOne(s, via, dest, port, packet));
          }
        }
      } catch (IOException e) {
        sent.add(
            new Sent(b.interfaceName(), b.broadcast().getHostAddress(), 0, false, e.getMessage()));
      }
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.setBroadcast(true);
      if (interfaces.isEmpty()) {
        for (int port : ports) {
          sent.add(sendOne(s, "default", LIMITED_BROADCAST, port, packet));
        }
      }
      if (lastKnownAddress != null && !lastKnownAddress.isBlank()) {
        for (int port : ports) {
          sent.add(sendOne(s, "unicast", lastKnownAddress.trim(), port, packet));
        }
      }
    } catch (IOException e) {
      sent.add(new Sent("unicast", String.valueOf(lastKnownAddress), 0, false, e.getMessage()));
    }
    if (etherwake) {
      sent.addAll(sendRaw(mac, secureOn, interfaces));
    }
    return sent;
  }

  private static Sent sendOne(DatagramSocket s, String via, String dest, int port, byte[] packet) {
    try {
      s.send(new DatagramPacket(packet, packet.length, InetAddress.getByName(dest), port));
      return new Sent(via, dest, port, true, null);
    } catch (IOException e) {
      return new Sent(via, dest, port, false, e.getMessage());
    }
  }

  private List<Sent> sendRaw(byte[] mac, byte[] secureOn, List<Broadcast> interfaces) {
    Optional<Path> tool = findTool("etherwake").or(() -> findTool("ether-wake"));
    if (tool.isEmpty()) {
      LOG.info("raw wake frame enabled but neither etherwake nor ether-wake is installed");
      return List.of(new Sent("raw", "ethernet", 0, false, "etherwake/ether-wake not installed"));
    }
    List<String> ifaces = new ArrayList<>();
    if (etherwakeInterface != null && !etherwakeInterface.isBlank()) {
      ifaces.add(etherwakeInterface);
    } else {
      interfaces.stream().map(Broadcast::interfaceName).distinct().forEach(ifaces::add);
    }
    String macText = HexFormat.ofDelimiter(":").formatHex(mac);
    List<Sent> out = new ArrayList<>();
    for (String iface : ifaces) {
      List<String> cmd = new ArrayList<>(List.of(tool.get().toString(), "-i", iface));
      if (secureOn != null && secureOn.length > 0) {
        cmd.add("-p");
        cmd.add(HexFormat.ofDelimiter(":").formatHex(secureOn));
      }
      cmd.add(macText);
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes()).trim();
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        boolean ok = done && p.exitValue() == 0;
        out.add(new Sent("raw/" + iface, "ethernet", 0, ok, ok ? null : output));
      } catch (IOException e) {
        out.add(new Sent("raw/" + iface, "ethernet", 0, false, e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return out;
  }

  static Optional<Path> findTool(String name) {
    List<String> dirs =
        new ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin"));
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(0, List.of(path.split(":")));
    }
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (java.nio.file.Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
