package dev.vigil.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** Prints checks as an aligned table or as JSON. */
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
}
