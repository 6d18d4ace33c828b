package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.Tools;
import dev.vigil.testing.netns.NetnsPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil wake} run as its own JVM inside namespace A; a receiver JVM in namespace B. Nothing
 * is ever sent from the host's namespace: the broadcasts can only leave through the veth pair.
 */
class NetnsWakeIT {
  private static final String MAC = "b8:ac:6f:7e:6c:9d";
  private static final int TCP_PORT = 2222;
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
  void stopProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  private static List<String> java(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts the receiver in namespace B and returns the lines it prints, as they arrive. */
  private List<String> startReceiver() {
    String addresses = String.join(",", net.broadcast(), "255.255.255.255", net.addressB());
    Process p =
        net.start(
            net.nsB(),
            java(
                WolReceiverMain.class.getName(),
                MAC,
                addresses,
                "9,7",
                String.valueOf(TCP_PORT),
                "60"));
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
                // Receiver killed.
              }
            });
    t.setDaemon(true);
    t.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("READY"));
    return lines;
  }

  private static Map<String, Set<String>> received(List<String> lines) {
    synchronized (lines) {
      return lines.stream()
          .filter(l -> l.startsWith("RECV "))
          .map(l -> l.split(" "))
          .collect(
              Collectors.groupingBy(
                  f -> f[1] + ":" + f[2], Collectors.mapping(f -> f[3], Collectors.toSet())));
    }
  }

  @Test
  void wakeReachesTheOtherNamespaceOnPorts9And7AndWaitSeesTheNodeUp() {
    List<String> lines = startReceiver();
    Tools.Run run =
        net.run(
            net.nsA(),
            60,
            java(
                "dev.vigil.cli.Vigil",
                "wake",
                MAC,
                "--address",
                net.addressB(),
                "--wait",
                "--verify-port",
                String.valueOf(TCP_PORT),
                "--timeout",
                "30s"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("woke: " + MAC + " answered after");
    await().atMost(Duration.ofSeconds(10)).until(() -> received(lines).size() == 6);
    String expected = "ffffffffffff" + MAC.replace(":", "").repeat(16);
    Map<String, Set<String>> got = received(lines);
    for (String dest : List.of(net.broadcast(), "255.255.255.255", net.addressB())) {
      for (String port : List.of("9", "7")) {
        assertThat(got.get(dest + ":" + port)).as(dest + ":" + port).containsExactly(expected);
      }
    }
    assertThat(lines).contains("BOOTED");
  }

  @Test
  void wakeByNodeNameFromTheSpec(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path spec = dir.resolve("vigil.yaml");
    java.nio.file.Files.writeString(
        spec,
        """
        apiVersion: vigil.dev/v1
        kind: Station
        cluster: {name: netns}
        nodes:
          - {name: masternode, address: %s, role: control-plane}
          - {name: storagenodet3500, address: %s, mac: "%s"}
        power:
          enabled: true
          controller: masternode
          wake: {verifyPort: %d, verifyTimeout: 30s, ports: [9]}
          nodes:
            masternode: {sleepable: false}
            storagenodet3500: {idle: {checks: [{kind: users}]}}
        """
            .formatted(net.addressA(), net.addressB(), MAC.toUpperCase(), TCP_PORT));
    List<String> lines = startReceiver();
    Tools.Run run =
        net.run(
            net.nsA(),
            60,
            java(
                "dev.vigil.cli.Vigil",
                "wake",
                "storagenodet3500",
                "-f",
                spec.toString(),
                "--wait",
                "--no-node-ready"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("woke: storagenodet3500 answered after");
    await().atMost(Duration.ofSeconds(10)).until(() -> received(lines).size() == 3);
    assertThat(received(lines))
        .containsOnlyKeys(net.broadcast() + ":9", "255.255.255.255:9", net.addressB() + ":9");

    Tools.Run unknown =
        net.run(
            net.nsA(),
            60,
            java("dev.vigil.cli.Vigil", "wake", "nosuchnode", "-f", spec.toString()));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("no node 'nosuchnode'").doesNotContain("Exception");
  }

  @Test
  void secureOnPasswordTravelsAfterTheMacs() {
    List<String> lines = startReceiver();
    List<String> cmd = new ArrayList<>(List.of("env", "WOL_PW=01:02:03:04:05:06"));
    cmd.addAll(java("dev.vigil.cli.Vigil", "wake", MAC, "--secureon-env", "WOL_PW", "--port", "9"));
    Tools.Run run = net.run(net.nsA(), 60, cmd);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).doesNotContain("01:02:03:04:05:06");
    await().atMost(Duration.ofSeconds(10)).until(() -> received(lines).size() == 2);
    String expected = "ffffffffffff" + MAC.replace(":", "").repeat(16) + "010203040506";
    assertThat(received(lines).get(net.broadcast() + ":9")).containsExactly(expected);
    assertThat(received(lines).get("255.255.255.255:9")).containsExactly(expected);
    assertThat(received(lines)).doesNotContainKey(net.broadcast() + ":7");
  }

  @Test
  void rawEthernetFrameThroughEtherwake() throws Exception {
    Path etherwake = Tools.require("etherwake", "etherwake");
    Path tcpdump = Tools.require("tcpdump", "tcpdump");
    Process capture =
        net.start(
            net.nsB(),
            List.of(
                tcpdump.toString(),
                "-i",
                "veth0",
                "-n",
                "-l",
                "-c",
                "1",
                "-xx",
                "ether proto 0x0842"));
    processes.add(capture);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException ignored) {
                // capture ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lines.stream().anyMatch(l -> l.contains("listening on veth0")));

    List<String> cmd =
        new ArrayList<>(List.of("env", "PATH=" + etherwake.getParent() + ":/usr/bin:/bin"));
    cmd.addAll(java("dev.vigil.cli.Vigil", "wake", MAC, "--etherwake", "--port", "9"));
    Tools.Run run = net.run(net.nsA(), 60, cmd);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("via raw/veth0");
    assertThat(capture.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    reader.join(5000);
    String hex;
    synchronized (lines) {
      hex =
          lines.stream()
              .filter(l -> l.trim().startsWith("0x"))
              .map(l -> l.substring(l.indexOf(':') + 1).replace(" ", "").trim())
              .reduce("", String::concat);
    }
    // Ethernet header: destination, source, EtherType 0x0842; then the magic packet.
    assertThat(hex.substring(24, 28)).isEqualTo("0842");
    assertThat(hex.substring(28)).startsWith("ffffffffffff" + MAC.replace(":", "").repeat(16));
  }

  @Test
  void waitFailsWithExitCode1WhenTheNodeNeverAnswers() {
    // No receiver: the packets leave through the veth and nobody boots.
    Tools.Run run =
        net.run(
            net.nsA(),
            60,
            java(
                "dev.vigil.cli.Vigil",
                "wake",
                "d0:94:66:30:d6:63",
                "--address",
                net.addressB(),
                "--wait",
                "--verify-port",
                "2223",
                "--timeout",
                "3s",
                "--retries",
                "1"));
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("did not wake");
  }
}
