package dev.vigil.render.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.TestStations;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered routing tree, walked by the real {@code amtool config routes test}: which receiver
 * an alert with given labels reaches.
 */
class AlertmanagerRoutesIT {
  /**
   * The heartbeat receiver is a Slack one here only because Debian's amtool (0.25) predates the
   * webhook url_file setting Vigil renders for webhooks (the pinned Alertmanager v0.28.1 reads it);
   * the routing under test is the same for every integration.
   */
  private static final String RECEIVERS =
      """
      alerting:
        receivers:
          - name: heartbeat
            slack: {apiUrl: {secret: {name: alertmanager-receivers, key: heartbeat-url}}}
          - name: pager
            pagerduty: {routingKey: {secret: {name: alertmanager-receivers, key: pagerduty-routing-key}}}
          - name: chat
            slack: {apiUrl: {secret: {name: alertmanager-receivers, key: slack-webhook-url}}}
        defaultReceiver: chat
      """;

  private static Path amtool;

  @TempDir Path dir;

  @BeforeAll
  static void findAmtool() {
    amtool = Tools.require("amtool", "prometheus-alertmanager");
  }

  private String receiver(Station s, String... labels) throws IOException {
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, AlertmanagerRenderer.config(s.alerting()));
    List<String> cmd =
        new ArrayList<>(
            List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + config));
    cmd.addAll(List.of(labels));
    Tools.Run run = Tools.run(dir, 60, cmd);
    assertThat(run.ok()).as(run.output()).isTrue();
    // amtool prints the receivers on stdout and a warning about --alertmanager.url on stderr.
    List<String> lines =
        run.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning:")).toList();
    assertThat(lines).as(run.output()).hasSize(1);
    return lines.get(0).strip();
  }

  /** A dead-man's switch: the heartbeat route of the spec is reached, every minute. */
  @Test
  void aHeartbeatRouteOfTheSpecReceivesWatchdog() throws IOException {
    Station s =
        TestStations.with(
            RECEIVERS
                + """
          routes:
            - severity: critical
              receiver: pager
            - match: {alertname: Watchdog}
              receiver: heartbeat
        """);
    assertThat(receiver(s, "alertname=Watchdog", "severity=none")).isEqualTo("heartbeat");
    // InfoInhibitor still pages nobody; other alerts follow the other routes.
    assertThat(receiver(s, "alertname=InfoInhibitor", "severity=none")).isEqualTo("null");
    assertThat(receiver(s, "alertname=NodeDown", "severity=critical")).isEqualTo("pager");
    assertThat(receiver(s, "alertname=NodeHighLoad", "severity=warning")).isEqualTo("chat");
    assertThat(AlertmanagerRenderer.config(s.alerting())).contains("repeat_interval: 1m");
  }

  @Test
  void withoutAHeartbeatRouteWatchdogAndInfoInhibitorPageNobody() throws IOException {
    Station s =
        TestStations.with(
            RECEIVERS
                + """
          routes:
            - severity: critical
              receiver: pager
        """);
    assertThat(receiver(s, "alertname=Watchdog", "severity=none")).isEqualTo("null");
    assertThat(receiver(s, "alertname=InfoInhibitor", "severity=none")).isEqualTo("null");
    assertThat(receiver(s, "alertname=KubeAPIDown", "severity=critical")).isEqualTo("pager");
  }
}
