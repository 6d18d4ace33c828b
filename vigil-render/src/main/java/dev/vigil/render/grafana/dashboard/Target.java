package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One query of a panel. The panel assigns the refId (A, B, C, ...) in the order targets are added,
 * so definitions never repeat or collide on them.
 *
 * @param datasource where the query runs
 * @param expr the PromQL or LogQL expression; Grafana variables such as {@code $node} are allowed
 * @param legendFormat series name template such as {@code {{instance}}}; empty for the default
 * @param instant evaluate once at the end of the range instead of over the range
 * @param table return a table frame (Prometheus {@code format: table}), for table panels
 */
public record Target(
    Datasource datasource, String expr, String legendFormat, boolean instant, boolean table) {

  public Target {
    Objects.requireNonNull(datasource, "datasource");
    Objects.requireNonNull(expr, "expr");
    Objects.requireNonNull(legendFormat, "legendFormat");
    if (expr.isBlank()) {
      throw new IllegalArgumentException("target query must not be empty");
    }
    if (table && !isPrometheus(datasource)) {
      throw new IllegalArgumentException("table format is a Prometheus option: " + expr);
    }
  }

  /**
   * A PromQL range query against the provisioned Prometheus, on the local cluster: selectors
   * without a {@code cluster} matcher get {@code cluster=""} ({@link LocalCluster}), so federated
   * series of other clusters never mix into a panel.
   */
  public static Target prometheus(String expr) {
    return new Target(Datasources.PROMETHEUS, LocalCluster.scope(expr), "", false, false);
  }

  /** A LogQL range query against the provisioned Loki. */
  public static Target loki(String expr) {
    return new Target(Datasources.LOKI, expr, "", false, false);
  }

  public Target legend(String format) {
    return new Target(datasource, expr, format, instant, table);
  }

  public Target instantQuery() {
    return new Target(datasource, expr, legendFormat, true, table);
  }

  /** An instant query returned as a table: one row per series, one column per label. */
  public Target asTable() {
    return new Target(datasource, expr, legendFormat, true, true);
  }

  public boolean isPrometheus() {
    return isPrometheus(datasource);
  }

  public boolean isLoki() {
    return "loki".equals(datasource.type());
  }

  private static boolean isPrometheus(Datasource d) {
    return "prometheus".equals(d.type());
  }

  ObjectNode toJson(String refId) {
    ObjectNode t =
        Json.obj("refId", refId, "datasource", datasource.toJson(), "editorMode", "code");
    t.put("expr", expr);
    if (!legendFormat.isEmpty()) {
      t.put("legendFormat", legendFormat);
    }
    if (isLoki()) {
      t.put("queryType", instant ? "instant" : "range");
    } else {
      t.put("range", !instant);
      t.put("instant", instant);
      t.put("format", table ? "table" : "time_series");
    }
    return t;
  }
}
