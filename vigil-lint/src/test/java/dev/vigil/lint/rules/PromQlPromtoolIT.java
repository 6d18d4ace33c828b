package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lint.LintConfig;
import dev.vigil.lint.Linter;
import dev.vigil.lint.Report;
import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The linter's PromQL check against the real promtool: on valid expressions (Vigil's own rule files
 * and a list of grammar features) and on broken variants of them, the linter never refuses what
 * promtool accepts, and refuses most of what promtool refuses (the rest are type errors and regular
 * expressions, which the linter does not check).
 */
class PromQlPromtoolIT {
  private static Path promtool;

  @TempDir Path work;

  @BeforeAll
  static void findPromtool() {
    promtool = Tools.require("promtool", "prometheus");
  }

  private static List<String> validExpressions() throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = PromQlPromtoolIT.class.getResourceAsStream("/promql/expressions.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line);
        }
      }
    }
    Path rules =
        Path.of("..", "vigil-render", "src", "main", "resources", "dev", "vigil", "render");
    assertThat(rules).isDirectory();
    try (Stream<Path> files = Files.walk(rules)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".rules.yaml")).sorted().toList()) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
        for (Object g : (List<?>) ((Map<?, ?>) doc).get("groups")) {
          for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
            out.add(String.valueOf(((Map<?, ?>) r).get("expr")));
          }
        }
      }
    }
    return out;
  }

  /**
   * Deterministic damage: a character deleted, inserted or replaced, a name cut short, a run
   * removed.
   */
  private static List<String> mutations(List<String> valid) {
    Random random = new Random(20260806);
    String chars = "()[]{}\",=~!+*/:@`'#|;$.0a5m";
    Pattern call = Pattern.compile("[a-z_]+(?=\\()");
    List<String> out = new ArrayList<>();
    for (String e : valid) {
      for (int k = 0; k < 6; k++) {
        int i = random.nextInt(e.length());
        String m =
            switch (random.nextInt(5)) {
              case 0 -> e.substring(0, i) + e.substring(i + 1);
              case 1 ->
                  e.substring(0, i) + chars.charAt(random.nextInt(chars.length())) + e.substring(i);
              case 2 ->
                  e.substring(0, i)
                      + chars.charAt(random.nextInt(chars.length()))
                      + e.substring(i + 1);
              case 3 -> {
                Matcher c = call.matcher(e);
                List<int[]> calls = new ArrayList<>();
                while (c.find()) {
                  calls.add(new int[] {c.start(), c.end()});
                }
                if (calls.isEmpty()) {
                  yield e.replaceFirst("\\[", "[[");
                }
                int[] pick = calls.get(random.nextInt(calls.size()));
                yield e.substring(0, pick[1] - 1) + e.substring(pick[1]);
              }
              default ->
                  e.substring(0, i) + e.substring(Math.min(e.length(), i + 1 + random.nextInt(5)));
            };
        if (!m.equals(e) && !m.isBlank()) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** promtool's verdict on each expression: the group indexes it refuses. */
  private Map<Integer, String> promtoolRefuses(List<String> expressions) throws IOException {
    List<Object> groups = new ArrayList<>();
    for (int i = 0; i < expressions.size(); i++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("alert", "A");
      rule.put("expr", expressions.get(i));
      groups.add(Map.of("name", "g" + i, "rules", List.of(rule)));
    }
    Path file = work.resolve("exprs.rules.yaml");
    Files.writeString(
        file, new Dump(DumpSettings.builder().build()).dumpToString(Map.of("groups", groups)));
    Tools.Run run = Tools.run(work, 120, promtool.toString(), "check", "rules", file.toString());
    Map<Integer, String> refused = new HashMap<>();
    Matcher m = Pattern.compile("group \"g(\\d+)\", rule 1, \"A\": (.*)").matcher(run.output());
    while (m.find()) {
      refused.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
    }
    if (refused.isEmpty()) {
      assertThat(run.exitCode()).as(run.output()).isZero();
    }
    return refused;
  }

  @Test
  void neverRefusesWhatPromtoolAcceptsAndCatchesMostOfWhatItRefuses() throws IOException {
    List<String> valid = validExpressions();
    assertThat(valid).hasSizeGreaterThan(100);
    assertThat(promtoolRefuses(valid)).as("the corpus is valid PromQL").isEmpty();
    for (String e : valid) {
      assertThat(PromQl.problem(e)).as(e).isNull();
    }
    List<String> broken = mutations(valid);
    Map<Integer, String> refused = promtoolRefuses(broken);
    List<String> falseAlarms = new ArrayList<>();
    int caught = 0;
    for (int i = 0; i < broken.size(); i++) {
      String mine = PromQl.problem(broken.get(i));
      if (mine != null && !refused.containsKey(i)) {
        falseAlarms.add(broken.get(i) + " -> " + mine);
      }
      if (mine != null && refused.containsKey(i)) {
        caught++;
      }
    }
    assertThat(falseAlarms).as("refused by the linter, accepted by promtool").isEmpty();
    assertThat(refused.size())
        .as("promtool refuses a good part of the variants")
        .isGreaterThan(broken.size() / 3);
    double recall = (double) caught / refused.size();
    System.out.printf(
        "PromQL check: %d variants, promtool refuses %d, the linter %d of those (%.1f %%)%n",
        broken.size(), refused.size(), caught, recall * 100);
    assertThat(recall).as("share of promtool's refusals the linter finds").isGreaterThan(0.9);
  }

  @Test
  void promtoolOptionReportsWhatPromtoolSays() {
    String rules =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata: {name: rules, namespace: monitoring, labels: {app.kubernetes.io/name: prometheus}}",
            "data:",
            "  bad.rules.yaml: |",
            "    groups:",
            "    - name: g",
            "      rules:",
            "      - record: job:x:sum",
            "        expr: sum(\"a\" + 1)",
            "  good.rules.yaml: |",
            "    groups:",
            "    - name: g",
            "      rules:",
            "      - record: job:up:sum",
            "        expr: sum by (job) (up)",
            "");
    Report with =
        new Linter(LintConfig.defaults().withPromtool(promtool)).lintText("rules.yaml", rules);
    List<String> messages =
        with.findings().stream()
            .filter(f -> f.ruleId().equals("rule-file-syntax"))
            .map(f -> f.message())
            .toList();
    // A type error: the linter's own check passes it, promtool does not.
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0))
        .startsWith("ConfigMap monitoring/rules data.bad.rules.yaml: promtool check rules: ")
        .contains("job:x:sum")
        .doesNotContain("vigil-promtool");
    Report without = new Linter(LintConfig.defaults()).lintText("rules.yaml", rules);
    assertThat(without.findings()).noneMatch(f -> f.ruleId().equals("rule-file-syntax"));
  }
}
