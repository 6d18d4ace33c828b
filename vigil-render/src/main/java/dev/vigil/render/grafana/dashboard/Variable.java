package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dashboard template variable: a {@code query} variable whose values come from the provisioned
 * Prometheus, or an {@code interval} variable with a fixed list of windows.
 */
public final class Variable {
  private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9_]*");
  private static final Pattern INTERVAL = Pattern.compile("[1-9][0-9]*[smhdw]");

  /** The kinds of variable the builder supports. */
  public enum Kind {
    QUERY,
    INTERVAL
  }

  private final Kind kind;
  private final String name;
  private final String label;
  private final String query;
  private final List<String> intervals;
  private final String defaultInterval;

  private Variable(
      Kind kind, String name, String label, String query, List<String> intervals, String dflt) {
    this.kind = kind;
    this.name = Objects.requireNonNull(name, "name");
    this.label = Objects.requireNonNull(label, "label");
    this.query = query;
    this.intervals = List.copyOf(intervals);
    this.defaultInterval = dflt;
    if (!NAME.matcher(name).matches() || name.startsWith("__")) {
      throw new IllegalArgumentException(
          "variable name '"
              + name
              + "' must be a lower-case identifier (and not a built-in __ name)");
    }
  }

  /**
   * Multi-select values of a Prometheus query such as {@code label_values(node_uname_info, node)},
   * with "All" meaning the regex {@code .*}, so panels filter with {@code label=~"$name"}. The
   * selector keeps to the local cluster, as panel queries do ({@link LocalCluster}).
   */
  public static Variable query(String name, String label, String promQuery) {
    Objects.requireNonNull(promQuery, "query");
    if (promQuery.isBlank()) {
      throw new IllegalArgumentException("variable " + name + " has an empty query");
    }
    return new Variable(
        Kind.QUERY, name, label, LocalCluster.scopeLabelValues(promQuery), List.of(), null);
  }

  /** A choice of windows such as 1m, 5m, 15m; {@code defaultValue} must be among them. */
  public static Variable interval(
      String name, String label, String defaultValue, String... windows) {
    List<String> ws = List.of(windows);
    if (ws.isEmpty()) {
      throw new IllegalArgumentException("interval variable " + name + " has no windows");
    }
    for (String w : ws) {
      if (!INTERVAL.matcher(w).matches()) {
        throw new IllegalArgumentException(
            "interval variable " + name + ": '" + w + "' is not a window like 5m");
      }
    }
    if (!ws.contains(defaultValue)) {
      throw new IllegalArgumentException(
          "interval variable " + name + ": default " + defaultValue + " is not one of " + ws);
    }
    return new Variable(Kind.INTERVAL, name, label, null, ws, defaultValue);
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** The Prometheus query of a query variable; empty for interval variables. */
  public String query() {
    return query == null ? "" : query;
  }

  /** The default window of an interval variable; empty for query variables. */
  public String defaultInterval() {
    return defaultInterval == null ? "" : defaultInterval;
  }

  ObjectNode toJson() {
    if (kind == Kind.QUERY) {
      return Json.obj(
          "type",
          "query",
          "name",
          name,
          "label",
          label,
          "datasource",
          Datasources.PROMETHEUS.toJson(),
          "definition",
          query,
          // A plain string: Grafana's Prometheus datasource migrates it to its editor model on
          // load, whereas an object is taken as already migrated and must carry its query type.
          "query",
          query,
          // 2: refresh the values when the time range changes, so new nodes appear.
          "refresh",
          2,
          "sort",
          1,
          "multi",
          true,
          "includeAll",
          true,
          "allValue",
          ".*",
          "current",
          Json.obj("selected", true, "text", Json.arr("All"), "value", Json.arr("$__all")),
          "options",
          Json.arr(),
          "regex",
          "",
          "hide",
          0);
    }
    ArrayNode options = Json.arr();
    for (String w : intervals) {
      options.add(Json.obj("selected", w.equals(defaultInterval), "text", w, "value", w));
    }
    return Json.obj(
        "type",
        "interval",
        "name",
        name,
        "label",
        label,
        "query",
        String.join(",", intervals),
        "auto",
        false,
        "refresh",
        2,
        "current",
        Json.obj("selected", true, "text", defaultInterval, "value", defaultInterval),
        "options",
        options,
        "hide",
        0);
  }
}
