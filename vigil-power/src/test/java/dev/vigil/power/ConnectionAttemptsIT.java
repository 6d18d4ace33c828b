package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.power.check.ProcNetTcp;
import dev.vigil.power.trigger.ConnectionAttempts;
import dev.vigil.testing.Tools;
import dev.vigil.testing.netns.NetnsPair;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real half-open connections, made inside test namespaces: a SYN whose SYN-ACK is blackholed leaves
 * SYN_RECV on the listener's side; a SYN to an address nobody has leaves SYN_SENT. The controller
 * reads the namespace's table through {@code /proc/<pid>/net} of a process inside it.
 */
class ConnectionAttemptsIT {
  private static final int PORT = 30096;
  private static NetnsPair net;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void createNamespaces() {
    net = NetnsPair.create();
  }

  @AfterAll
  static void deleteNamespaces() {
    if (net != null) {
      net.close();
    }
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private static List<String> java(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Process start(String ns, List<String> cmd, String readyLine) {
    Process p = net.start(ns, cmd);
    processes.add(p);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // process ended
              }
            });
    t.setDaemon(true);
    t.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains(readyLine));
    return p;
  }

  private static String subnetHost(String address, int host) {
    return address.substring(0, address.lastIndexOf('.') + 1) + host;
  }

  @Test
  void synRecvOnAHeldServicePortWakesTheSleepingNode() throws Exception {
    String unreachableSource = subnetHost(net.addressA(), 9);
    check(
        net.run(
            net.nsA(),
            10,
            List.of("ip", "addr", "add", unreachableSource + "/24", "dev", "veth0")));
    // nsB answers that source at a hardware address nobody has: its SYN-ACKs are lost on the
    // wire and the listener's side stays half-open (SYN_RECV), as for a client that went away.
    check(
        net.run(
            net.nsB(),
            10,
            List.of(
                "ip",
                "neigh",
                "replace",
                unreachableSource,
                "lladdr",
                "02:00:00:00:00:99",
                "dev",
                "veth0",
                "nud",
                "permanent")));
    Process listener =
        start(net.nsB(), java(SocketMains.Listen.class, String.valueOf(PORT), "60"), "LISTENING");
    start(
        net.nsA(),
        java(
            SocketMains.Connect.class,
            unreachableSource,
            net.addressB(),
            String.valueOf(PORT),
            "20000"),
        "CONNECTING");

    List<String> wakes = Collections.synchronizedList(new ArrayList<>());
    String yaml =
        """
        enabled: true
        controller: master
        wake: {verifyPort: %d}
        nodes:
          master: {sleepable: false}
          media:
            mac: b8:ac:6f:7e:6c:9d
            address: 127.0.0.1
            idle: {checks: [{kind: users}]}
            triggers: {ports: [%d], interval: 1s}
        """
            .formatted(Specs.closedPort(), PORT);
    try (PowerManager m =
        PowerManager.builder()
            .spec(Specs.power(yaml))
            .localNode("master")
            .registry(new PrometheusRegistry())
            .procNet(Path.of("/proc/" + listener.pid() + "/net"))
            .api("127.0.0.1", 0)
            .wakeAction(
                (node, reason) -> {
                  wakes.add(node + ": " + reason);
                  return new WakeCoordinator.Outcome(true, Duration.ofSeconds(1), "up");
                })
            .buildAndStart()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> !wakes.isEmpty());
    }
    assertThat(wakes.get(0))
        .isEqualTo("media: connection attempt " + unreachableSource + " -> port " + PORT);
  }

  @Test
  void synSentToTheSleepingNodesAddressIsSeen() throws Exception {
    String absent = subnetHost(net.addressA(), 3);
    Process connector =
        start(net.nsA(), java(SocketMains.Connect.class, "-", absent, "22", "20000"), "CONNECTING");
    Path table = Path.of("/proc/" + connector.pid() + "/net");
    InetAddress node = InetAddress.getByName(absent);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ConnectionAttempts.find(ProcNetTcp.read(table), Set.of(22), node).isEmpty());
    ProcNetTcp.Entry e = ConnectionAttempts.find(ProcNetTcp.read(table), Set.of(22), node).get(0);
    assertThat(e.state()).isEqualTo(ProcNetTcp.SYN_SENT);
    assertThat(ConnectionAttempts.find(ProcNetTcp.read(table), Set.of(23), node)).isEmpty();
    assertThat(
            ConnectionAttempts.find(
                ProcNetTcp.read(table), Set.of(22), InetAddress.getByName(net.addressB())))
        .isEmpty();
  }

  private static void check(Tools.Run run) {
    assertThat(run.exitCode()).as(run.output()).isZero();
  }
}
