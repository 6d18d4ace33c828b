package dev.vigil.render.chrony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.TestStations;
import dev.vigil.render.power.PowerRenderer;
import dev.vigil.render.syslog.SyslogGatewayRenderer;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule files chrony, the syslog gateway and power emit, as emitted (thresholds substituted),
 * through the real promtool: they parse, their unit tests pass, and a substituted threshold changes
 * when an alert fires.
 */
class RenderedRuleFilesIT {
  static Path promtool;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    promtool = Tools.require("promtool", "prometheus");
  }

  private static final String THRESHOLDS =
      "time:\n  thresholds:\n    offsetWarning: 50ms\n    offsetCritical: 400ms\n"
          + "    maxStratum: 4\n    peerSkew: 80ms\n    logSkew: 3s\n    kerberosLimit: 100s\n";

  private static Map<String, String> emitted(Station s) {
    RenderContext ctx = TestStations.context(s);
    Map<String, String> files = new LinkedHashMap<>();
    for (ComponentRenderer r :
        List.of(new ChronyRenderer(), new SyslogGatewayRenderer(), new PowerRenderer())) {
      files.putAll(r.ruleFiles(ctx));
    }
    return files;
  }

  private Tools.Run promtool(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = promtool.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    return Tools.run(dir, 120, cmd);
  }

  private static String resource(String name) throws IOException {
    // Each rule file's tests sit beside the renderer that ships it.
    InputStream found = null;
    for (Class<?> owner :
        List.of(ChronyRenderer.class, SyslogGatewayRenderer.class, PowerRenderer.class)) {
      if (found == null) {
        found = owner.getResourceAsStream(name);
      }
    }
    try (InputStream in = found) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void emittedRuleFilesPassPromtoolCheck() throws IOException {
    for (String overlay :
        List.of(PowerRendererPower.OVERLAY, PowerRendererPower.OVERLAY + THRESHOLDS)) {
      Map<String, String> files = emitted(TestStations.with(overlay));
      assertThat(files)
          .containsOnlyKeys("time.rules.yaml", "syslog.rules.yaml", "power.rules.yaml");
      for (Map.Entry<String, String> e : files.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
        Tools.Run run = promtool("check", "rules", e.getKey());
        assertThat(run.ok()).as(e.getKey() + ":\n" + run.output()).isTrue();
      }
    }
  }

  @Test
  void emittedRuleFilesWithDefaultThresholdsPassTheirUnitTests() throws IOException {
    Map<String, String> files = emitted(TestStations.with(PowerRendererPower.OVERLAY));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
      String test = e.getKey().replace(".rules.yaml", ".rules.test.yaml");
      Files.writeString(dir.resolve(test), resource(test));
      Tools.Run run = promtool("test", "rules", test);
      assertThat(run.ok()).as(test + ":\n" + run.output()).isTrue();
    }
  }

  /**
   * Offsets of 70 ms and 500 ms, a stratum of 5, a peer skew of 100 ms and a log skew of 5 s fire
   * under the lowered thresholds and not under the defaults.
   */
  @Test
  void substitutedThresholdsDecideWhenAlertsFire() throws IOException {
    String test =
        """
        rule_files:
          - time.rules.yaml
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'chrony_tracking_system_time_seconds{job="chrony-exporter",instance="a",node="a"}'
                values: '0.07x30'
              - series: 'chrony_tracking_system_time_seconds{job="chrony-exporter",instance="b",node="b"}'
                values: '-0.5x30'
              - series: 'chrony_tracking_stratum{job="chrony-exporter",instance="a",node="a"}'
                values: '5x30'
              - series: 'vigil_time_offset_seconds{job="vigil-agent-host",instance="a",node="a",role="peer",server="b"}'
                values: '0.1x30'
              - series: 'vigil_syslog_event_skew_seconds{job="vigil-agent",instance="gw",source="router"}'
                values: '5x30'
            promql_expr_test:
              - expr: count by (alertname) (ALERTS{alertstate="firing"})
                eval_time: 25m
                exp_samples:
        %s
        """;
    String firing =
        """
                  - labels: '{alertname="ClockOffsetHigh"}'
                    value: 2
                  - labels: '{alertname="ClockOffsetCritical"}'
                    value: 1
                  - labels: '{alertname="ClockStratumTooHigh"}'
                    value: 1
                  - labels: '{alertname="NodeClockSkew"}'
                    value: 1
                  - labels: '{alertname="LogTimestampSkew"}'
                    value: 1
        """;
    Files.writeString(
        dir.resolve("time.rules.yaml"),
        emitted(TestStations.with(PowerRendererPower.OVERLAY + THRESHOLDS)).get("time.rules.yaml"));
    Files.writeString(dir.resolve("lowered.test.yaml"), test.formatted(firing));
    Tools.Run lowered = promtool("test", "rules", "lowered.test.yaml");
    assertThat(lowered.ok()).as(lowered.output()).isTrue();

    Files.writeString(
        dir.resolve("time.rules.yaml"),
        emitted(TestStations.with(PowerRendererPower.OVERLAY)).get("time.rules.yaml"));
    // Under the defaults only the 0.5 s offset passes 100 ms; nothing else fires.
    String defaults =
        """
                  - labels: '{alertname="ClockOffsetHigh"}'
                    value: 1
        """;
    Files.writeString(dir.resolve("defaults.test.yaml"), test.formatted(defaults));
    Tools.Run standard = promtool("test", "rules", "defaults.test.yaml");
    assertThat(standard.ok()).as(standard.output()).isTrue();
  }

  /** The power overlay of the tests, so power.rules.yaml is emitted too. */
  static final class PowerRendererPower {
    static final String OVERLAY = "power:\n  enabled: true\n";
  }
}
