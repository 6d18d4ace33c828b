package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routing verify expects agrees with real amtool's answer for the rendered alertmanager.yml.
 */
class RoutingIT {
  @TempDir Path dir;

  private static final List<Map<String, String>> ALERTS =
      List.of(
          Map.of("alertname", "Watchdog", "severity", "none"),
          Map.of("alertname", "InfoInhibitor", "severity", "none"),
          Map.of("alertname", "NodeDown", "severity", "critical"),
          Map.of("alertname", "NodeDown", "severity", "critical", "team", "data"),
          Map.of("alertname", "LokiRequestErrors", "severity", "warning"),
          Map.of("alertname", "ExporterQuiet", "severity", "info"),
          Map.of("alertname", "Anything", "team", "data"));

  @ParameterizedTest
  @ValueSource(strings = {"default", "homelab", "production"})
  void receiversMatchAmtool(String station) throws Exception {
    Path amtool = Tools.require("amtool", "prometheus-alertmanager");
    String yml = new Expectations(Stations.load(station)).alertmanagerConfig().orElseThrow();
    // amtool checks the secret files exist; the paths are rewritten to empty files here.
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    String local = yml.replace("/etc/alertmanager/secrets", secrets.toString());
    for (String line : local.split("\n")) {
      int at = line.indexOf(secrets.toString());
      if (at >= 0) {
        Path f = Path.of(line.substring(at).trim());
        Files.createDirectories(f.getParent());
        Files.writeString(f, "https://hooks.example.invalid/x\n");
      }
    }
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, local);
    for (Map<String, String> labels : ALERTS) {
      List<String> cmd =
          new ArrayList<>(
              List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + config));
      new LinkedHashMap<>(labels).forEach((k, v) -> cmd.add(k + "=" + v));
      Tools.Run run = Tools.run(dir, 30, cmd);
      assertThat(run.ok()).as(run.output()).isTrue();
      String answer =
          run.output().lines().filter(l -> !l.startsWith("Warning")).findFirst().orElse("").trim();
      assertThat(Routing.receivers(yml, labels))
          .as(station + " " + labels)
          .containsExactlyElementsOf(Arrays.asList(answer.split(",")));
    }
  }
}
