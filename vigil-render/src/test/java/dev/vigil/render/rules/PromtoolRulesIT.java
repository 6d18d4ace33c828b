package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real promtool on every shipped rule file: {@code check rules} (syntax, PromQL,
 * templates) and {@code test rules} (the alert and recording-rule unit tests next to it).
 */
class PromtoolRulesIT {
  private static Path promtool;

  @TempDir static Path work;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  @TestFactory
  Stream<DynamicContainer> promtoolAcceptsEveryRuleFile() {
    return RuleFiles.ruleFiles().stream()
        .map(
            f ->
                DynamicContainer.dynamicContainer(
                    f.fileName(),
                    Stream.of(
                        DynamicTest.dynamicTest("check rules", () -> checkRules(f)),
                        DynamicTest.dynamicTest("test rules", () -> testRules(f)))));
  }

  private static void checkRules(RuleFiles.RuleFile f) throws IOException {
    Path dir = Files.createDirectories(work.resolve("check-" + f.component()));
    Path copy = Files.copy(f.path(), dir.resolve(f.fileName()));
    Tools.Run run = Tools.run(dir, 60, promtool.toString(), "check", "rules", copy.toString());
    assertThat(run.exitCode())
        .as("promtool check rules %s:%n%s", f.fileName(), run.output())
        .isZero();
    assertThat(run.output()).contains("SUCCESS");
  }

  /**
   * promtool resolves {@code rule_files} relative to the test file, while Maven keeps main and test
   * resources apart (and packs the main ones into a jar); so both are copied side by side.
   */
  private static void testRules(RuleFiles.RuleFile f) throws IOException {
    Path test = f.testFile();
    assertThat(test).as("unit-test file for %s", f.fileName()).isNotNull();
    Path dir = Files.createDirectories(work.resolve(f.component()));
    Files.copy(f.path(), dir.resolve(f.fileName()));
    Path copy = Files.copy(test, dir.resolve(test.getFileName()));
    Tools.Run run =
        Tools.run(dir, 120, promtool.toString(), "test", "rules", copy.getFileName().toString());
    assertThat(run.exitCode())
        .as("promtool test rules %s:%n%s", test.getFileName(), run.output())
        .isZero();
    assertThat(run.output()).contains("SUCCESS");
  }
}
