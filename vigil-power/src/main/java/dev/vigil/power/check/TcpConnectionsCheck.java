package dev.vigil.power.check;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Active while an established TCP connection exists on one of the given local ports. */
public final class TcpConnectionsCheck implements ActivityCheck {
  private final String name;
  private final Set<Integer> ports;
  private final Path procNet;

  public TcpConnectionsCheck(String name, List<Integer> ports, Path procNet) {
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("tcp-connections needs at least one port");
    }
    this.name = name;
    this.ports = Set.copyOf(ports);
    this.procNet = procNet;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ActivityVerdict check() throws Exception {
    List<ProcNetTcp.Entry> hits =
        ProcNetTcp.read(procNet).stream()
            .filter(e -> e.state() == ProcNetTcp.ESTABLISHED && ports.contains(e.localPort()))
            .toList();
    if (hits.isEmpty()) {
      return ActivityVerdict.idle("no connections on ports " + ports);
    }
    String who =
        hits.stream()
            .map(e -> e.remoteAddress().getHostAddress() + "->" + e.localPort())
            .distinct()
            .limit(5)
            .collect(Collectors.joining(", "));
    return ActivityVerdict.active(hits.size() + " connection(s): " + who);
  }
}
