package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.power.SleepSpec;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sleep action with real commands standing in for {@code systemctl suspend}. */
class SleepActionTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<String> decisions = new ArrayList<>();

  private SleepAction action(boolean dryRun, SleepSpec spec) {
    return new SleepAction(
        "storage",
        spec,
        Duration.ofMinutes(1),
        new PowerContext(dryRun, null, clock, new PowerMetrics(registry), decisions::add));
  }

  private List<String> recordingCommand(Path log, int exit) {
    return List.of("sh", "-c", "echo slept >> '" + log + "'; exit " + exit);
  }

  @Test
  void runsTheSleepCommandOnce() throws Exception {
    Path log = dir.resolve("slept");
    SleepSpec spec =
        new SleepSpec(false, Duration.ofMinutes(5), List.of(), recordingCommand(log, 0));
    assertThat(action(false, spec).run()).isEqualTo("slept");
    assertThat(Files.readString(log)).isEqualTo("slept\n");
    assertThat(decisions)
        .containsExactly("sleep storage: drain=false, re-arm WOL on [], run " + spec.command());
    assertThat(Metrics.value(registry, "vigil_power_sleeps", "node", "storage", "dry_run", "false"))
        .isEqualTo(1);
  }

  @Test
  void aFailingSleepCommandIsReportedWithItsOutput() throws Exception {
    Path log = dir.resolve("slept");
    SleepSpec spec =
        new SleepSpec(false, Duration.ofMinutes(5), List.of(), recordingCommand(log, 3));
    assertThat(action(false, spec).run()).isEqualTo("sleep command failed");
    assertThat(decisions).contains("sleep command failed: exit 3: ");
  }

  @Test
  void dryRunOnlySaysWhatItWouldDo() throws Exception {
    Path log = dir.resolve("slept");
    SleepSpec spec =
        new SleepSpec(true, Duration.ofMinutes(5), List.of("eno1"), recordingCommand(log, 0));
    String outcome = action(true, spec).run();
    assertThat(outcome)
        .isEqualTo(
            "dry-run: would sleep storage: drain=true, re-arm WOL on [eno1], run "
                + spec.command());
    assertThat(decisions).containsExactly(outcome);
    assertThat(log).doesNotExist();
    assertThat(Metrics.value(registry, "vigil_power_sleeps", "node", "storage", "dry_run", "true"))
        .isEqualTo(1);
  }

  @Test
  void theDefaultCommandIsSystemctlSuspend() {
    SleepSpec spec = new SleepSpec(false, Duration.ofMinutes(5), List.of(), List.of());
    assertThat(action(true, spec).command()).containsExactly("systemctl", "suspend");
  }

  @Test
  void aDrainWithoutClusterAccessAbortsTheSleep() throws Exception {
    Path log = dir.resolve("slept");
    SleepSpec spec =
        new SleepSpec(true, Duration.ofMinutes(5), List.of(), recordingCommand(log, 0));
    assertThat(action(false, spec).run())
        .isEqualTo("sleep aborted: no Kubernetes client for drain");
    assertThat(decisions)
        .contains("not sleeping storage: drain requested but no Kubernetes client");
    assertThat(log).doesNotExist();
  }
}
