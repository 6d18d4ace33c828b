package dev.vigil.lint.output;

import dev.vigil.lint.Finding;
import dev.vigil.lint.InputError;
import dev.vigil.lint.Report;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML as CI systems read it: one testsuite per file, one testcase per object (or plain
 * configuration file). Findings at or above --fail-on are failures; lower ones go to system-out, so
 * the test report agrees with the exit code.
 */
public final class JunitFormat {
  private JunitFormat() {}

  private record Case(String file, String name, List<Finding> findings) {}

  public static void write(Report report, PrintWriter out) {
    Map<String, Map<String, Case>> suites = new LinkedHashMap<>();
    for (Finding f : report.findings()) {
      String name = f.object() == null ? "line " + f.line() : f.object().toString();
      suites
          .computeIfAbsent(f.source(), k -> new LinkedHashMap<>())
          .computeIfAbsent(name, k -> new Case(f.source(), k, new ArrayList<>()))
          .findings()
          .add(f);
    }
    Map<String, List<InputError>> errors = new LinkedHashMap<>();
    for (InputError e : report.errors()) {
      errors.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e);
      suites.computeIfAbsent(e.source(), k -> new LinkedHashMap<>());
    }
    int totalTests = 0;
    int totalFailures = 0;
    for (Map<String, Case> s : suites.values()) {
      totalTests += s.size();
      totalFailures +=
          (int)
              s.values().stream()
                  .filter(c -> c.findings().stream().anyMatch(report::failing))
                  .count();
    }
    totalTests += report.errors().size();
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.printf(
        "<testsuites name=\"vigil-lint\" tests=\"%d\" failures=\"%d\" errors=\"%d\">%n",
        totalTests, totalFailures, report.errors().size());
    for (Map.Entry<String, Map<String, Case>> s : suites.entrySet()) {
      List<InputError> es = errors.getOrDefault(s.getKey(), List.of());
      long failures =
          s.getValue().values().stream()
              .filter(c -> c.findings().stream().anyMatch(report::failing))
              .count();
      out.printf(
          "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">%n",
          esc(s.getKey()), s.getValue().size() + es.size(), failures, es.size());
      for (InputError e : es) {
        out.printf("    <testcase classname=\"%s\" name=\"parse\">%n", esc(e.source()));
        out.printf(
            "      <error type=\"input-error\" message=\"%s\">%s</error>%n",
            esc(e.message()), esc(e.toString()));
        out.println("    </testcase>");
      }
      for (Case c : s.getValue().values()) {
        out.printf("    <testcase classname=\"%s\" name=\"%s\">%n", esc(c.file()), esc(c.name()));
        StringBuilder low = new StringBuilder();
        for (Finding f : c.findings()) {
          String text =
              f.source()
                  + ":"
                  + f.line()
                  + " "
                  + f.ruleId()
                  + " ("
                  + f.severity().label()
                  + "): "
                  + f.message()
                  + "\nfix: "
                  + f.fix();
          if (report.failing(f)) {
            out.printf(
                "      <failure type=\"%s\" message=\"%s\">%s</failure>%n",
                esc(f.ruleId()), esc(f.message()), esc(text));
          } else {
            low.append(text).append('\n');
          }
        }
        if (low.length() > 0) {
          out.printf("      <system-out>%s</system-out>%n", esc(low.toString()));
        }
        out.println("    </testcase>");
      }
      out.println("  </testsuite>");
    }
    out.println("</testsuites>");
    out.flush();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\n' -> b.append("&#10;");
        case '\t', '\r' -> b.append(c);
        default -> {
          // Other control characters are escaped visibly: XML 1.0 cannot carry most of them,
          // and dropping them would show a different name than the file has.
          b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : HumanFormat.show(String.valueOf(c)));
        }
      }
    }
    return b.toString();
  }
}
