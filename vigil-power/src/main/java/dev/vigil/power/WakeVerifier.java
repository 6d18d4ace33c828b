package dev.vigil.power;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Answers "is the node up?" by TCP connect, ICMP echo and/or Kubernetes NodeReady. */
public final class WakeVerifier {
  private final int tcpPort;
  private final KubernetesClient kubernetes;

  /**
   * @param tcpPort port probed with a TCP connect, 0 for ICMP echo only
   * @param kubernetes client for the NodeReady check, or null without a kubeconfig
   */
  public WakeVerifier(int tcpPort, KubernetesClient kubernetes) {
    if (tcpPort < 0 || tcpPort > 65535) {
      throw new IllegalArgumentException("expected a port 0-65535, got " + tcpPort);
    }
    this.tcpPort = tcpPort;
    this.kubernetes = kubernetes;
  }

  /** What Kubernetes says about the node, when it was asked. */
  public enum Readiness {
    READY,
    NOT_READY,
    /** No cluster access (or no node name): only the network probe counts. */
    NOT_CHECKED
  }

  /** Result of one probe round. */
  public record Probe(boolean reachable, Readiness readiness, String detail) {
    /** Answers on the network and, where Kubernetes was asked, is NodeReady. */
    public boolean up() {
      return reachable && readiness != Readiness.NOT_READY;
    }
  }

  public boolean checksNodeReady() {
    return kubernetes != null;
  }

  /** One probe, bounded by {@code timeout}. */
  public Probe probe(String address, String nodeName, Duration timeout) {
    boolean reachable = false;
    String detail;
    int ms = (int) Math.max(100, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (address == null || address.isBlank()) {
      detail = "no address";
    } else if (tcpPort > 0) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, tcpPort), ms);
        reachable = true;
        detail = "tcp " + address + ":" + tcpPort + " open";
      } catch (IOException e) {
        detail = "tcp " + address + ":" + tcpPort + ": " + e.getMessage();
      }
    } else {
      try {
        reachable = InetAddress.getByName(address).isReachable(ms);
        detail = "icmp " + address + (reachable ? " answered" : " no answer");
      } catch (IOException e) {
        detail = "icmp " + address + ": " + e.getMessage();
      }
    }
    Readiness readiness = Readiness.NOT_CHECKED;
    if (kubernetes != null && nodeName != null) {
      boolean ready = nodeReady(kubernetes, nodeName);
      readiness = ready ? Readiness.READY : Readiness.NOT_READY;
      detail += ready ? ", NodeReady" : ", not NodeReady";
    }
    return new Probe(reachable, readiness, detail);
  }

  public static boolean nodeReady(KubernetesClient client, String nodeName) {
    try {
      Node node = client.nodes().withName(nodeName).get();
      if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
        return false;
      }
      for (NodeCondition c : node.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          return "True".equals(c.getStatus());
        }
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
