package dev.vigil.lint.output;

import dev.vigil.lint.Finding;
import dev.vigil.lint.InputError;
import dev.vigil.lint.Report;
import dev.vigil.lint.Severity;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Findings grouped by object, for a person at a terminal. */
public final class HumanFormat {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";

  private HumanFormat() {}

  public static void write(Report report, PrintWriter out, boolean color) {
    Map<String, List<Finding>> groups = new LinkedHashMap<>();
    for (Finding f : report.findings()) {
      String key =
          f.object() == null
              ? show(f.source() + ":" + f.line())
              : show(f.source() + "  " + f.object());
      groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(f);
    }
    for (InputError e : report.errors()) {
      out.println(paint(color, "\u001b[31;1m", "input error") + "  " + e);
    }
    if (!report.errors().isEmpty()) {
      out.println();
    }
    for (Map.Entry<String, List<Finding>> g : groups.entrySet()) {
      out.println(paint(color, BOLD, g.getKey()));
      java.util.Set<String> hinted = new java.util.HashSet<>();
      for (Finding f : g.getValue()) {
        String sev = String.format("%-7s", f.severity().label());
        out.println(
            "  "
                + paint(color, colour(f.severity()), sev)
                + "  "
                + show(f.source())
                + ":"
                + f.line()
                + "  "
                + paint(color, BOLD, f.ruleId())
                + "  "
                + show(f.message()));
        if (f.fix() != null && hinted.add(f.ruleId())) {
          out.println("           " + paint(color, DIM, "fix: " + f.fix()));
        }
      }
      out.println();
    }
    out.printf(
        "%d objects, %d configs checked (%s profile): %d errors, %d warnings, %d info, %d"
            + " exempted, %d input errors%n",
        report.objects(),
        report.configs(),
        report.config().profile().label(),
        report.count(Severity.ERROR),
        report.count(Severity.WARNING),
        report.count(Severity.INFO),
        report.suppressed(),
        report.errors().size());
    out.flush();
  }

  /** Text from the input (names, values in messages) with control characters escaped. */
  static String show(String s) {
    return dev.vigil.base.input.InputFiles.printable(s, 4096);
  }

  private static String colour(Severity s) {
    return switch (s) {
      case ERROR -> "\u001b[31m";
      case WARNING -> "\u001b[33m";
      case INFO -> "\u001b[36m";
    };
  }

  private static String paint(boolean color, String code, String text) {
    return color ? code + text + RESET : text;
  }
}
