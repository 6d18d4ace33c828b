package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.ntp.ChronydServer;
import dev.vigil.time.NtpMeasurement;
import dev.vigil.time.NtpResponder;
import dev.vigil.time.NtpSample;
import dev.vigil.time.NtpServer;
import dev.vigil.time.SntpClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil agent} running the time probe and the power manager from a station spec, on loopback
 * only: node "a" is 127.0.0.1, node "b" is 127.0.0.2.
 */
class AgentServicesIT {
  @TempDir Path tmp;

  private static final String NODES =
      """
      apiVersion: vigil.dev/v1
      kind: Station
      cluster: {name: agent-test}
      nodes:
        - {name: a, address: 127.0.0.1, role: control-plane}
        - {name: b, address: 127.0.0.2}
      """;

  private Path spec(String body) throws Exception {
    Path p = tmp.resolve("vigil-" + System.nanoTime() + ".yaml");
    Files.writeString(p, NODES + body);
    return p;
  }

  private static int freeUdpPort() throws Exception {
    return ChronydServer.freeUdpPort();
  }

  private static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  record Cli(int exit, String out) {}

  /** The power API's bearer token, in a file both the agent and `vigil power status` read. */
  private Path token() throws Exception {
    Path f = tmp.resolve("power-token");
    if (!Files.exists(f)) {
      Files.writeString(f, "s3cret-for-the-test\n");
    }
    return f;
  }

  Cli power(String... args) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new PowerCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--token-file", token().toString()));
    int code = cl.execute(all.toArray(String[]::new));
    return new Cli(code, out.toString());
  }

  @Test
  void timeProbeMeasuresUpstreamAndPeersAndAnswersForItsNode() throws Exception {
    int mesh = freeUdpPort();
    try (ChronydServer chronyd = ChronydServer.startLocal(8);
        // Node b's agent, as far as node a can tell: an NTP responder on b's address.
        NtpResponder peerB =
            NtpResponder.builder()
                .bindAddress(InetAddress.getByName("127.0.0.2"))
                .port(mesh)
                .stratum(9)
                .buildAndStart()) {
      Path file =
          spec(
              """
              syslog: {enabled: false}
              time:
                upstream: ["%s"]
                probe:
                  interval: 16s
                  samplesPerServer: 2
                  timeout: 1s
                  peerPort: %d
                  responder: true
                  responderPort: %d
                  chrony: false
              """
                  .formatted(chronyd.hostPort(), mesh, mesh));
      try (RunningAgent agent =
          new RunningAgent(
              "-f", file.toString(),
              "--node", "a",
              "--data-dir", tmp.resolve("data").toString(),
              "--http-address", "127.0.0.1",
              "--http-port", "0")) {
        assertThat(agent.output())
            .contains("node:      a (127.0.0.1)")
            .contains("services:  time")
            .contains("upstream [" + chronyd.hostPort() + "], peers [127.0.0.2:" + mesh + "]")
            .contains("responder udp 127.0.0.1:" + mesh);
        String upstream = chronyd.hostPort();
        String peer = "127.0.0.2:" + mesh;
        // The probe measures upstream servers and peers in parallel: wait for both rounds.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    agent.metric("vigil_time_trusted", "server", upstream) != null
                        && agent.metric("vigil_time_trusted", "server", peer) != null);
        assertThat(agent.metric("vigil_time_trusted", "server", upstream, "role", "upstream"))
            .isEqualTo(1.0);
        assertThat(agent.metric("vigil_time_offset_seconds", "server", upstream))
            .isCloseTo(0.0, within(0.005));
        assertThat(agent.metric("vigil_time_trusted", "server", peer, "role", "peer"))
            .isEqualTo(1.0);
        assertThat(agent.metric("vigil_time_stratum", "server", peer)).isEqualTo(9.0);
        assertThat(agent.metric("vigil_time_offset_seconds", "server", peer))
            .isCloseTo(0.0, within(0.005));
        assertThat(agent.get("/readyz")).contains("time: ok - 1/1 upstream servers trusted");

        // The other nodes measure a through its responder: synchronised to chronyd (stratum 8),
        // it advertises stratum 9.
        NtpMeasurement m =
            SntpClient.builder()
                .samples(2)
                .timeout(Duration.ofSeconds(1))
                .spacing(Duration.ofMillis(10))
                .build()
                .measure(new NtpServer("127.0.0.1", mesh));
        NtpSample s = m.trustedSample().orElseThrow(() -> new AssertionError(m.toString()));
        assertThat(s.stratum()).isEqualTo(9);
        assertThat(s.offsetSeconds()).isCloseTo(0.0, within(0.005));
      }
    }
  }

  @Test
  void sleepableNodeAgentInDryRunShowsItsStateAndVerdictsToPowerStatus() throws Exception {
    int api = freeTcpPort();
    try (ServerSocket media = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Path file =
          spec(
              """
              syslog: {enabled: false}
              power:
                enabled: true
                dryRun: true
                controller: a
                api: {address: 127.0.0.1, port: %d, token: {file: %s}}
                nodes:
                  a: {sleepable: false}
                  b:
                    mac: b8:ac:6f:7e:6c:9d
                    idle:
                      idleAfter: 2s
                      minUptime: 0s
                      interval: 1s
                      checks:
                        - {kind: tcp-connections, name: media, ports: [%d]}
                        - {kind: command, name: backup-running, command: ['false']}
              """
                  .formatted(api, token(), media.getLocalPort()));
      try (RunningAgent agent =
              new RunningAgent(
                  "-f", file.toString(),
                  "--node", "b",
                  "--services", "power",
                  "--data-dir", tmp.resolve("data").toString(),
                  "--http-address", "127.0.0.1",
                  "--http-port", "0");
          Socket viewer = new Socket(InetAddress.getLoopbackAddress(), media.getLocalPort());
          Socket served = media.accept()) {
        assertThat(agent.output())
            .contains("services:  power")
            .contains("power:     sleepable node, dry-run, api 127.0.0.1:" + api);
        String url = "http://127.0.0.1:" + api;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> power("status", "--agent", url).out().matches("(?s).*media\\s+active.*"));
        Cli status = power("status", "--agent", url);
        assertThat(status.exit()).isZero();
        assertThat(status.out())
            .contains("DRY-RUN")
            .containsPattern("b\\s+awake\\s+yes")
            .containsPattern("backup-running\\s+idle\\s+exit 1");
        assertThat(agent.metric("vigil_power_check_verdict", "check", "media", "verdict", "active"))
            .isEqualTo(1.0);
        assertThat(agent.get("/healthz")).contains("power: ok - node b, dry-run, api :" + api);

        viewer.close();
        served.close();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    agent.metric("vigil_power_sleeps_total", "node", "b", "dry_run", "true")
                        != null);
        assertThat(power("status", "--agent", url).out()).containsPattern("media\\s+idle");
      }
    }
  }

  @Test
  void controllerAgentWakesASleepingNodeOnASyslogLineInDryRun() throws Exception {
    int api = freeTcpPort();
    int udp = freeUdpPort();
    int closed = freeTcpPort();
    Path file =
        spec(
            """
            syslog:
              listen: {address: 127.0.0.1, udpPort: %d, tcp: false}
              loki: {url: "http://127.0.0.1:%d"}
            power:
              enabled: true
              dryRun: true
              controller: a
              api: {address: 127.0.0.1, port: %d, token: {file: %s}}
              wake: {verifyPort: %d}
              nodes:
                a: {sleepable: false}
                b:
                  mac: b8:ac:6f:7e:6c:9d
                  idle: {checks: [{kind: users}]}
                  triggers:
                    interval: 1s
                    syslogPatterns: ['sshd\\[\\d+\\]: Connection from .* to 127\\.0\\.0\\.2']
            """
                .formatted(udp, closed, api, token(), closed));
    try (RunningAgent agent =
        new RunningAgent(
            "-f", file.toString(),
            "--node", "a",
            "--services", "syslog,power",
            "--data-dir", tmp.resolve("data").toString(),
            "--http-address", "127.0.0.1",
            "--http-port", "0")) {
      assertThat(agent.output())
          .contains("services:  syslog, power")
          .contains("power:     controller, dry-run");
      String url = "http://127.0.0.1:" + api;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> power("status", "--agent", url).out().matches("(?s).*\\bb\\s+sleeping.*"));
      byte[] unrelated =
          "<38>Dec  3 10:00:00 router sshd[7]: Connection from 10.0.0.9 to 127.0.0.1"
              .getBytes(StandardCharsets.UTF_8);
      byte[] wanted =
          "<38>Dec  3 10:00:01 router sshd[8]: Connection from 10.0.0.9 to 127.0.0.2 port 22"
              .getBytes(StandardCharsets.UTF_8);
      try (DatagramSocket s = new DatagramSocket()) {
        s.send(
            new DatagramPacket(unrelated, unrelated.length, InetAddress.getLoopbackAddress(), udp));
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> agent.metric("vigil_syslog_received_total", "listener", "udp") != null);
        assertThat(power("status", "--agent", url).out()).doesNotContain("syslog matched");
        s.send(new DatagramPacket(wanted, wanted.length, InetAddress.getLoopbackAddress(), udp));
      }
      // The dry-run wake is reported (waking, then back to sleeping: nothing was sent).
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  power("status", "--agent", url)
                      .out()
                      .matches(
                          "(?s).*\\bb\\s+sleeping\\s+yes\\s+-\\s+dry_run\\s+-\\s+syslog matched.*"));
    }
  }

  @Test
  void aSectionWithoutSettingsRunsWithTheSpecDefaults() throws Exception {
    // No time section: the time defaults apply (public pool upstream, chrony read). Dry-run
    // only: nothing here may leave the machine.
    AgentCommandTest.Result r =
        AgentCommandTest.run(
            "--dry-run", "-f", spec("syslog: {enabled: false}\n").toString(), "--node", "a");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("services:  time")
        .contains("every 60s, upstream [time.cloudflare.com, 0.pool.ntp.org")
        .contains("peers [127.0.0.2], chrony read, responder off");
  }

  @Test
  void servicesAndNodeAreCheckedBeforeAnythingStarts() throws Exception {
    Path file = spec("time: {upstream: ['127.0.0.1:1']}\n");
    AgentCommandTest.Result r =
        AgentCommandTest.run("--dry-run", "-f", file.toString(), "--node", "c");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--node: 'c' is not a node of the spec; nodes: a, b");
    r = AgentCommandTest.run("--dry-run", "-f", file.toString(), "--services", "power");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--services: power is not enabled in the spec (needs power.enabled: true)");
    r = AgentCommandTest.run("--dry-run", "-f", file.toString(), "--services", "syslog,ntp");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown service 'ntp'; expected one of syslog, time, power");
    r =
        AgentCommandTest.run(
            "--dry-run", "-f", file.toString(), "--node", "b", "--services", "time");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("services:  time")
        .contains("syslog:    off")
        .contains("peers [127.0.0.1]")
        .contains("responder off")
        .contains("power:     off");
  }
}
