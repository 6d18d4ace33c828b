package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.model.Station;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Loki checks against the Loki-protocol test receiver: it answers the push and query APIs as
 * Loki does, multi-tenant like the production profile's Loki. Entries are pushed in the shape Alloy
 * and the syslog gateway write them.
 */
class LokiChecksIT {
  @TempDir Path dir;
  private LokiProtocolReceiver loki;
  private final ServiceHttp http = new ServiceHttp(Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    loki = LokiProtocolReceiver.start(0);
  }

  @AfterEach
  void stop() {
    loki.close();
  }

  static String spec(boolean multiTenant) {
    return String.join(
        "\n",
        "apiVersion: vigil.dev/v1",
        "kind: Station",
        "cluster: {name: lab, namespace: monitoring}",
        "nodes: [{name: n1, address: 192.0.2.10}]",
        "components:",
        "  loki: {multiTenant: " + multiTenant + ", tenant: lab-logs}",
        "");
  }

  /** A push over Loki's JSON API, as Alloy's loki.write sends it (one stream, one entry). */
  void push(String tenant, Map<String, String> labels, Instant at, String line) throws Exception {
    StringBuilder stream = new StringBuilder();
    labels.forEach(
        (k, v) ->
            stream
                .append(stream.length() == 0 ? "" : ",")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
    long ns = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    String body =
        "{\"streams\":[{\"stream\":{"
            + stream
            + "},\"values\":[[\""
            + ns
            + "\",\""
            + line
            + "\"]]}]}";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(loki.url() + "/loki/api/v1/push"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  private static Check find(List<Check> checks, String check) {
    return checks.stream()
        .filter(c -> c.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + check + " in " + checks));
  }

  @Test
  void everySourceWithRecentEntriesPassesAndASilentOneFails() throws Exception {
    loki.multiTenant(true);
    Station s = Stations.fromYaml(dir, spec(true));
    Expectations ex = new Expectations(s);
    Instant now = Instant.now();
    push(
        "lab-logs",
        Map.of(
            "namespace",
            "monitoring",
            "pod",
            "prometheus-0",
            "container",
            "prometheus",
            "cluster",
            "lab"),
        now.minusSeconds(20),
        "ts=... msg=\\\"Server is ready to receive web requests.\\\"");
    push(
        "lab-logs",
        Map.of(
            "host",
            "router-1",
            "app",
            "dnsmasq",
            "severity",
            "info",
            "facility",
            "daemon",
            "listener",
            "udp"),
        now.minusSeconds(5),
        "query[A] example.org from 192.0.2.7");
    // The journal's entries went to another tenant: this station's Loki view has none.
    push(
        "someone-else",
        Map.of("job", "systemd-journal", "node", "n1", "unit", "kubelet.service"),
        now.minusSeconds(3),
        "x");

    List<Check> checks =
        LokiChecks.run(loki.url(), ex, http, Clock.systemUTC(), Duration.ofMinutes(15));
    assertThat(find(checks, "ready").verdict()).isEqualTo(Verdict.PASS);
    Check pods = find(checks, "recent pods entries");
    assertThat(pods.verdict()).isEqualTo(Verdict.PASS);
    assertThat(pods.value()).isBetween(19.0, 120.0);
    assertThat(find(checks, "recent syslog entries").verdict()).isEqualTo(Verdict.PASS);
    Check journal = find(checks, "recent journal entries");
    assertThat(journal.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(journal.measured()).isEqualTo("none in 15m");
    assertThat(journal.detail()).contains("{job=\"systemd-journal\"}");
    assertThat(loki.queries())
        .contains("{namespace=~\".+\", container=~\".+\"}", "{listener=~\"udp|tcp|tls\"}");
  }

  @Test
  void aSingleTenantStationAskingAMultiTenantLokiIsToldWhy() throws Exception {
    loki.multiTenant(true);
    Expectations ex = new Expectations(Stations.fromYaml(dir, spec(false)));
    Check pods =
        find(
            LokiChecks.run(loki.url(), ex, http, Clock.systemUTC(), Duration.ofMinutes(15)),
            "recent pods entries");
    assertThat(pods.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(pods.detail())
        .contains("HTTP 401: no org id")
        .contains("multi-tenant Loki wants X-Scope-OrgID");
  }

  @Test
  void theSyslogProbeFailsWhenNothingTakesItOrItNeverReachesLoki() throws Exception {
    Expectations ex = new Expectations(Stations.fromYaml(dir, spec(false)));
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    Check refused =
        LokiChecks.syslogEndToEnd(
            "127.0.0.1:" + dead,
            loki.url(),
            ex,
            http,
            Clock.systemUTC(),
            Duration.ofSeconds(2),
            d -> Thread.sleep(d.toMillis()));
    assertThat(refused.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(refused.detail()).contains("cannot send to the gateway at 127.0.0.1:" + dead);

    // A listener that takes the message and forwards nothing: the probe waits its bound, then
    // fails.
    try (ServerSocket sink = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Thread accept =
          new Thread(
              () -> {
                try (var c = sink.accept()) {
                  c.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                  // The test is over.
                }
              });
      accept.setDaemon(true);
      accept.start();
      long start = System.nanoTime();
      Check lost =
          LokiChecks.syslogEndToEnd(
              "127.0.0.1:" + sink.getLocalPort(),
              loki.url(),
              ex,
              http,
              Clock.systemUTC(),
              Duration.ofSeconds(2),
              d -> Thread.sleep(d.toMillis()));
      double took = (System.nanoTime() - start) / 1e9;
      assertThat(lost.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(lost.measured()).isEqualTo("not found");
      assertThat(lost.detail())
          .containsPattern(
              "message vigil-verify-[0-9a-f]{12} sent to 127.0.0.1:\\d+ is not in Loki");
      assertThat(took).isBetween(2.0, 30.0);
      assertThat(loki.queries())
          .anyMatch(q -> q.startsWith("{app=\"vigil-verify\"} |= \"vigil-verify-"));
    }
  }
}
