package dev.vigil.lint.rules;

import dev.vigil.lint.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Runs {@code promtool check rules} on every rule file, for the full check the linter's own syntax
 * rules approximate: PromQL with types, templates as Go parses them. Each run is bounded in time
 * and in the output read; its errors are findings of rule-file-syntax.
 */
final class Promtool {
  private Promtool() {}

  static final long TIMEOUT_SECONDS = 20;
  static final int MAX_OUTPUT = 64 << 10;

  static void checkAll(Context ctx, List<RuleFileRules.RuleFile> files) {
    Path promtool = ctx.config().promtool();
    // The documents of one multi-document entry share its text: promtool reads it once.
    Set<String> checkedTexts = Collections.newSetFromMap(new IdentityHashMap<>());
    for (RuleFileRules.RuleFile f : files) {
      String text;
      if (f.config() != null && f.config().text() != null) {
        text = f.config().text();
        if (!checkedTexts.add(text)) {
          continue;
        }
      } else if (f.root() != null) {
        text =
            dump(
                f.resource() != null
                    ? Map.of("groups", f.root().getOrDefault("groups", List.of()))
                    : f.root());
      } else {
        continue;
      }
      for (String problem : check(promtool, text)) {
        f.report(ctx, null, "promtool check rules: " + problem);
      }
    }
  }

  private static String dump(Object root) {
    return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
        .dumpToString(root);
  }

  /** promtool's complaints about one rule file, or none when it passes. */
  static List<String> check(Path promtool, String text) {
    List<String> problems = new ArrayList<>();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("vigil-promtool");
      Path file = Files.writeString(dir.resolve("rules.yaml"), text, StandardCharsets.UTF_8);
      Path out = dir.resolve("output");
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        problems.add("did not finish within " + TIMEOUT_SECONDS + " s");
        return problems;
      }
      if (p.exitValue() == 0) {
        return problems;
      }
      String output;
      try (InputStream in = Files.newInputStream(out)) {
        output = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
      }
      for (String line : output.split("\\R")) {
        String l =
            line.replace(file.toString() + ": ", "")
                .replace(file.toString(), "the rule file")
                .strip();
        if (l.isEmpty()
            || l.startsWith("Checking ")
            || l.equals("FAILED:")
            || l.startsWith("SUCCESS")) {
          continue;
        }
        problems.add(l);
      }
      if (problems.isEmpty()) {
        problems.add("exited with status " + p.exitValue());
      }
    } catch (IOException e) {
      problems.add("could not run " + promtool + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted");
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
    return problems;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary directory left behind is the system's to clean
    }
  }

  /** Why a text is not YAML, in one line. */
  static String yamlError(String text) {
    try {
      dev.vigil.lint.Loader.LIMITS.check("rule file", text);
      for (Object ignored : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
        // parse every document: the error is in one of them
      }
      return "unreadable";
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
  }
}
