package dev.vigil.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** Prints checks as an aligned table, as JSON, or as a JUnit XML report for CI. */
public final class CheckReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckReport() {}

  public static void table(PrintWriter out, List<Check> checks, Verdict overall) {
    String[] head = {"TARGET", "CHECK", "RESULT", "MEASURED", "LIMIT", "DETAIL"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
    }
    for (Check c : checks) {
      String[] row = row(c);
      for (int i = 0; i < row.length; i++) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    line(out, head, w);
    for (Check c : checks) {
      line(out, row(c), w);
    }
    out.println();
    out.println("Result: " + overall.name() + " (exit " + overall.exitCode() + ")");
    out.flush();
  }

  private static String[] row(Check c) {
    return new String[] {
      c.target(), c.check(), c.verdict().name(), c.measured(), c.limit(), c.detail()
    };
  }

  private static void line(PrintWriter out, String[] cells, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i == cells.length - 1) {
        sb.append(cells[i]);
      } else {
        sb.append(String.format("%-" + w[i] + "s  ", cells[i]));
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  public static void json(PrintWriter out, List<Check> checks, Verdict overall) {
    ObjectNode root = JSON.createObjectNode();
    root.put("result", overall.label());
    root.put("exitCode", overall.exitCode());
    ArrayNode arr = root.putArray("checks");
    for (Check c : checks) {
      ObjectNode o = arr.addObject();
      o.put("target", c.target());
      o.put("check", c.check());
      o.put("result", c.verdict().label());
      o.put("measured", c.measured());
      o.put("limit", c.limit());
      o.put("detail", c.detail());
      if (c.value() != null) {
        o.put("value", c.value());
      }
    }
    try {
      out.println(JSON.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /**
   * JUnit XML: a testsuite per target, a testcase per check. FAIL is a failure, UNKNOWN an error
   * (the check could not be made, which CI must not read as a pass), WARN passes with its figure in
   * system-out.
   */
  public static void junit(PrintWriter out, List<Check> checks, Verdict overall) {
    java.util.Map<String, List<Check>> bySuite = new java.util.LinkedHashMap<>();
    checks.forEach(
        c -> bySuite.computeIfAbsent(c.target(), k -> new java.util.ArrayList<>()).add(c));
    long failures = checks.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
    long errors = checks.stream().filter(c -> c.verdict() == Verdict.UNKNOWN).count();
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.println(
        "<testsuites name=\"vigil verify\" tests=\""
            + checks.size()
            + "\" failures=\""
            + failures
            + "\" errors=\""
            + errors
            + "\">");
    for (java.util.Map.Entry<String, List<Check>> suite : bySuite.entrySet()) {
      List<Check> cs = suite.getValue();
      out.println(
          "  <testsuite name=\""
              + xml(suite.getKey())
              + "\" tests=\""
              + cs.size()
              + "\" failures=\""
              + cs.stream().filter(c -> c.verdict() == Verdict.FAIL).count()
              + "\" errors=\""
              + cs.stream().filter(c -> c.verdict() == Verdict.UNKNOWN).count()
              + "\">");
      for (Check c : cs) {
        out.print(
            "    <testcase classname=\"vigil.verify."
                + xml(c.target())
                + "\" name=\""
                + xml(c.check())
                + "\"");
        String text =
            "measured: "
                + c.measured()
                + (c.limit().isEmpty() ? "" : "; limit: " + c.limit())
                + (c.detail().isEmpty() ? "" : "; " + c.detail());
        switch (c.verdict()) {
          case PASS -> out.println("/>");
          case WARN -> out.println("><system-out>WARN " + xml(text) + "</system-out></testcase>");
          case FAIL ->
              out.println("><failure type=\"FAIL\" message=\"" + xml(text) + "\"/></testcase>");
          case UNKNOWN ->
              out.println("><error type=\"UNKNOWN\" message=\"" + xml(text) + "\"/></testcase>");
        }
      }
      out.println("  </testsuite>");
    }
    out.println("</testsuites>");
    out.flush();
  }

  private static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\n' -> sb.append("&#10;");
        default -> {
          if (ch >= 0x20 || ch == '\t') {
            sb.append(ch);
          }
        }
      }
    }
    return sb.toString();
  }
}
