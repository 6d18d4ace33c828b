package dev.vigil.render.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.TestStations;
import dev.vigil.render.power.PowerRendererTest;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import dev.vigil.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected-targets rule file as each station renders it, with the promtool tests generated for
 * that station, through the real promtool: it parses, and for every job and node the spec expects,
 * a missing target fires for that node only while a federated copy of it is up.
 */
class ExpectedTargetsIT {
  private static Path promtool;

  @TempDir static Path dir;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  static Map<String, Station> stations() {
    Map<String, Station> m = new LinkedHashMap<>();
    m.put("default", TestStations.defaults());
    for (String example : List.of("homelab", "production")) {
      m.put(
          example,
          SpecLoader.load(Repo.resolve("examples/" + example + "/vigil.yaml"), List.of())
              .orThrow());
    }
    m.put("power", TestStations.with(PowerRendererTest.POWER));
    m.put("no-time", TestStations.with("time:\n  enabled: false\n"));
    return m;
  }

  @TestFactory
  Stream<DynamicTest> generatedTestsPassForEveryStation() {
    return stations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      Path d = Files.createDirectories(dir.resolve(e.getKey()));
                      String rules = ExpectedTargetsTests.rules(e.getValue());
                      assertThat(rules).as(e.getKey()).contains("alert: NodeExporterMissing");
                      Files.writeString(d.resolve(ExpectedTargets.FILE), rules);
                      Files.writeString(
                          d.resolve("expected.test.yaml"),
                          ExpectedTargetsTests.tests(e.getValue()));
                      Tools.Run check =
                          Tools.run(
                              d, 60, promtool.toString(), "check", "rules", ExpectedTargets.FILE);
                      assertThat(check.ok()).as(check.output()).isTrue();
                      Tools.Run test =
                          Tools.run(
                              d, 120, promtool.toString(), "test", "rules", "expected.test.yaml");
                      assertThat(test.ok()).as(test.output()).isTrue();
                      assertThat(test.output()).contains("SUCCESS");
                    }));
  }
}
