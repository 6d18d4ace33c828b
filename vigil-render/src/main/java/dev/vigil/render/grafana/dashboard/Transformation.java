package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Grafana data transformation, applied in order to a panel's query results. */
public final class Transformation {
  private final String id;
  private final ObjectNode options;

  private Transformation(String id, ObjectNode options) {
    this.id = id;
    this.options = options;
  }

  /** Joins the rows of several table queries that share the same label columns into one table. */
  public static Transformation merge() {
    return new Transformation("merge", Json.obj());
  }

  /** Outer-joins several tables on a column, e.g. node status and node roles on {@code node}. */
  public static Transformation joinByField(String field) {
    Objects.requireNonNull(field, "field");
    return new Transformation("joinByField", Json.obj("byField", field, "mode", "outer"));
  }

  /** Hides, renames and orders table columns. */
  public static Organize organize() {
    return new Organize();
  }

  public String id() {
    return id;
  }

  ObjectNode toJson() {
    return Json.obj("id", id, "options", options.deepCopy());
  }

  /** Builder for the {@code organize} transformation; columns not named keep Grafana's order. */
  public static final class Organize {
    private final List<String> hidden = new ArrayList<>();
    private final Map<String, String> renames = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    private Organize() {}

    public Organize hide(String... columns) {
      hidden.addAll(List.of(columns));
      return this;
    }

    public Organize rename(String column, String title) {
      if (renames.putIfAbsent(column, title) != null) {
        throw new IllegalArgumentException("column " + column + " renamed twice");
      }
      return this;
    }

    /** Column order from left to right, by original column name. */
    public Organize order(String... columns) {
      order.addAll(List.of(columns));
      return this;
    }

    public Transformation build() {
      ObjectNode exclude = Json.obj();
      hidden.forEach(c -> exclude.put(c, true));
      ObjectNode index = Json.obj();
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i), i);
      }
      ObjectNode rename = Json.obj();
      renames.forEach(rename::put);
      return new Transformation(
          "organize",
          Json.obj("excludeByName", exclude, "indexByName", index, "renameByName", rename));
    }
  }
}
