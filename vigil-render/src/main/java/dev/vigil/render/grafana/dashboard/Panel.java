package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One visualisation. Built with the factory of its kind, e.g. {@code Panel.stat("Total
 * nodes").target(Target.prometheus("count(kube_node_info)"))}; the dashboard assigns its id and
 * grid position. Options that only make sense for one kind fail at once when used on another, so a
 * definition cannot silently produce a panel Grafana ignores.
 */
public final class Panel {
  /** Grid width of the Grafana dashboard. */
  public static final int GRID_COLUMNS = 24;

  private static final String REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private final PanelKind kind;
  private final String title;
  private final String description;
  private final int width;
  private final int height;
  private final List<Target> targets;
  private final String unit;
  private final Double min;
  private final Double max;
  private final Integer decimals;
  private final Thresholds thresholds;
  private final List<ValueMapping> mappings;
  private final List<FieldOverride> overrides;
  private final List<Transformation> transformations;
  private final boolean stacked;
  private final boolean bars;
  private final String thresholdsStyle;
  private final List<String> legendCalcs;
  private final boolean colorBackground;
  private final boolean sparkline;
  private final String sortColumn;
  private final boolean sortDescending;

  private Panel(Builder b) {
    this.kind = b.kind;
    this.title = b.title;
    this.description = b.description;
    this.width = b.width;
    this.height = b.height;
    this.targets = List.copyOf(b.targets);
    this.unit = b.unit;
    this.min = b.min;
    this.max = b.max;
    this.decimals = b.decimals;
    this.thresholds = b.thresholds;
    this.mappings = List.copyOf(b.mappings);
    this.overrides = List.copyOf(b.overrides);
    this.transformations = List.copyOf(b.transformations);
    this.stacked = b.stacked;
    this.bars = b.bars;
    this.thresholdsStyle = b.thresholdsStyle;
    this.legendCalcs = List.copyOf(b.legendCalcs);
    this.colorBackground = b.colorBackground;
    this.sparkline = b.sparkline;
    this.sortColumn = b.sortColumn;
    this.sortDescending = b.sortDescending;
  }

  public static Builder timeseries(String title) {
    return new Builder(PanelKind.TIMESERIES, title);
  }

  public static Builder stat(String title) {
    return new Builder(PanelKind.STAT, title);
  }

  public static Builder gauge(String title) {
    return new Builder(PanelKind.GAUGE, title);
  }

  public static Builder table(String title) {
    return new Builder(PanelKind.TABLE, title);
  }

  public static Builder barGauge(String title) {
    return new Builder(PanelKind.BARGAUGE, title);
  }

  public static Builder logs(String title) {
    return new Builder(PanelKind.LOGS, title);
  }

  public PanelKind kind() {
    return kind;
  }

  public String title() {
    return title;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public List<Target> targets() {
    return targets;
  }

  public Thresholds thresholds() {
    return thresholds;
  }

  public List<ValueMapping> mappings() {
    return mappings;
  }

  /** The datasource of all targets (a panel never mixes datasources). */
  public Datasource datasource() {
    return targets.get(0).datasource();
  }

  static String refId(int index) {
    if (index < REF_IDS.length()) {
      return String.valueOf(REF_IDS.charAt(index));
    }
    throw new IllegalArgumentException("a panel holds at most " + REF_IDS.length() + " queries");
  }

  static ArrayNode mappingsJson(List<ValueMapping> mappings) {
    ArrayNode out = Json.arr();
    if (mappings.isEmpty()) {
      return out;
    }
    ObjectNode options = Json.obj();
    for (int i = 0; i < mappings.size(); i++) {
      ValueMapping m = mappings.get(i);
      if (options.has(m.value())) {
        throw new IllegalArgumentException("value " + m.value() + " is mapped twice");
      }
      options.set(m.value(), Json.obj("text", m.text(), "color", m.color(), "index", i));
    }
    out.add(Json.obj("type", "value", "options", options));
    return out;
  }

  ObjectNode toJson(int id, GridPos pos) {
    ObjectNode p = Json.obj("id", id, "type", kind.grafanaType(), "title", title);
    if (!description.isEmpty()) {
      p.put("description", description);
    }
    p.set("datasource", datasource().toJson());
    p.set("gridPos", pos.toJson());
    p.set("fieldConfig", fieldConfig());
    p.set("options", options());
    ArrayNode t = Json.arr();
    for (int i = 0; i < targets.size(); i++) {
      t.add(targets.get(i).toJson(refId(i)));
    }
    p.set("targets", t);
    if (!transformations.isEmpty()) {
      ArrayNode tr = Json.arr();
      transformations.forEach(x -> tr.add(x.toJson()));
      p.set("transformations", tr);
    }
    return p;
  }

  private ObjectNode fieldConfig() {
    ObjectNode defaults = Json.obj();
    if (kind != PanelKind.LOGS) {
      if (unit != null) {
        defaults.put("unit", unit);
      }
      if (min != null) {
        defaults.set("min", Json.number(min));
      }
      if (max != null) {
        defaults.set("max", Json.number(max));
      }
      if (decimals != null) {
        defaults.put("decimals", decimals);
      }
      defaults.set(
          "color",
          Json.obj("mode", kind == PanelKind.TIMESERIES ? "palette-classic" : "thresholds"));
      defaults.set(
          "thresholds", (thresholds == null ? Thresholds.base("green") : thresholds).toJson());
      defaults.set("mappings", mappingsJson(mappings));
      ObjectNode custom = custom();
      if (custom != null) {
        defaults.set("custom", custom);
      }
    }
    ArrayNode o = Json.arr();
    overrides.forEach(x -> o.add(x.toJson()));
    return Json.obj("defaults", defaults, "overrides", o);
  }

  private ObjectNode custom() {
    switch (kind) {
      case TIMESERIES:
        return Json.obj(
            "drawStyle",
            bars ? "bars" : "line",
            "lineWidth",
            1,
            "fillOpacity",
            bars ? 80 : stacked ? 30 : 10,
            "gradientMode",
            "none",
            "showPoints",
            "never",
            "spanNulls",
            false,
            "stacking",
            Json.obj("mode", stacked ? "normal" : "none", "group", "A"),
            "thresholdsStyle",
            Json.obj("mode", thresholdsStyle));
      case TABLE:
        return Json.obj("align", "auto", "cellOptions", Json.obj("type", "auto"), "inspect", false);
      default:
        return null;
    }
  }

  private ObjectNode options() {
    ObjectNode reduce = Json.obj("values", false, "calcs", Json.arr("lastNotNull"), "fields", "");
    switch (kind) {
      case TIMESERIES:
        return Json.obj(
            "legend",
                Json.obj(
                    "showLegend",
                    true,
                    "displayMode",
                    legendCalcs.isEmpty() ? "list" : "table",
                    "placement",
                    "bottom",
                    "calcs",
                    Json.arr(legendCalcs.toArray())),
            "tooltip", Json.obj("mode", "multi", "sort", "desc"));
      case STAT:
        return Json.obj(
            "reduceOptions",
            reduce,
            "orientation",
            "auto",
            "textMode",
            "auto",
            "colorMode",
            colorBackground ? "background" : "value",
            "graphMode",
            sparkline ? "area" : "none",
            "justifyMode",
            "auto");
      case GAUGE:
        return Json.obj(
            "reduceOptions",
            reduce,
            "orientation",
            "auto",
            "showThresholdLabels",
            false,
            "showThresholdMarkers",
            true);
      case BARGAUGE:
        return Json.obj(
            "reduceOptions", reduce,
            "orientation", "horizontal",
            "displayMode", "gradient",
            "valueMode", "color",
            "showUnfilled", true);
      case TABLE:
        ObjectNode table =
            Json.obj(
                "showHeader",
                true,
                "cellHeight",
                "sm",
                "footer",
                Json.obj(
                    "show", false, "reducer", Json.arr("sum"), "countRows", false, "fields", ""));
        table.set(
            "sortBy",
            sortColumn == null
                ? Json.arr()
                : Json.arr(Json.obj("displayName", sortColumn, "desc", sortDescending)));
        return table;
      case LOGS:
        return Json.obj(
            "showTime", true,
            "showLabels", false,
            "showCommonLabels", false,
            "wrapLogMessage", true,
            "prettifyLogMessage", false,
            "enableLogDetails", true,
            "dedupStrategy", "none",
            "sortOrder", "Descending");
      default:
        throw new IllegalStateException("unknown kind " + kind);
    }
  }

  @Override
  public String toString() {
    return kind.grafanaType()
        + " '"
        + title
        + "' "
        + width
        + "x"
        + height
        + " "
        + targets.size()
        + " target(s)";
  }

  /** Collects a panel's settings; {@link #build()} checks them together. */
  public static final class Builder {
    private final PanelKind kind;
    private final String title;
    private String description = "";
    private int width;
    private int height;
    private final List<Target> targets = new ArrayList<>();
    private String unit;
    private Double min;
    private Double max;
    private Integer decimals;
    private Thresholds thresholds;
    private final List<ValueMapping> mappings = new ArrayList<>();
    private final List<FieldOverride> overrides = new ArrayList<>();
    private final List<Transformation> transformations = new ArrayList<>();
    private boolean stacked;
    private boolean bars;
    private String thresholdsStyle = "off";
    private final List<String> legendCalcs = new ArrayList<>();
    private boolean colorBackground;
    private boolean sparkline;
    private String sortColumn;
    private boolean sortDescending;

    private Builder(PanelKind kind, String title) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.title = Objects.requireNonNull(title, "title");
      if (title.isBlank()) {
        throw new IllegalArgumentException("panel title must not be blank");
      }
      this.width = kind.defaultWidth();
      this.height = kind.defaultHeight();
    }

    public Builder description(String text) {
      this.description = Objects.requireNonNull(text, "description");
      return this;
    }

    /** Grid columns out of {@value Panel#GRID_COLUMNS}. */
    public Builder width(int columns) {
      if (columns < 1 || columns > GRID_COLUMNS) {
        throw fail("width must be 1.." + GRID_COLUMNS + ", got " + columns);
      }
      this.width = columns;
      return this;
    }

    /** Grid rows (one row is about 30 pixels). */
    public Builder height(int rows) {
      if (rows < 1 || rows > 60) {
        throw fail("height must be 1..60, got " + rows);
      }
      this.height = rows;
      return this;
    }

    public Builder size(int columns, int rows) {
      return width(columns).height(rows);
    }

    public Builder target(Target target) {
      targets.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    public Builder targets(Target... more) {
      for (Target t : more) {
        target(t);
      }
      return this;
    }

    public Builder unit(String unit) {
      notFor(PanelKind.LOGS, "unit");
      this.unit = Objects.requireNonNull(unit, "unit");
      return this;
    }

    public Builder min(double value) {
      notFor(PanelKind.LOGS, "min");
      this.min = value;
      return this;
    }

    public Builder max(double value) {
      notFor(PanelKind.LOGS, "max");
      this.max = value;
      return this;
    }

    /** Fixes the scale, e.g. 0..1 for utilisation ratios. */
    public Builder range(double min, double max) {
      return min(min).max(max);
    }

    public Builder decimals(int decimals) {
      notFor(PanelKind.LOGS, "decimals");
      this.decimals = decimals;
      return this;
    }

    public Builder thresholds(Thresholds thresholds) {
      notFor(PanelKind.LOGS, "thresholds");
      this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
      return this;
    }

    public Builder mapping(String value, String text, String color) {
      notFor(PanelKind.LOGS, "value mappings");
      mappings.add(ValueMapping.of(value, text, color));
      return this;
    }

    public Builder override(FieldOverride override) {
      notFor(PanelKind.LOGS, "overrides");
      overrides.add(Objects.requireNonNull(override, "override"));
      return this;
    }

    public Builder transform(Transformation transformation) {
      transformations.add(Objects.requireNonNull(transformation, "transformation"));
      return this;
    }

    /** Stacks series on top of each other (time series only). */
    public Builder stacked() {
      only(PanelKind.TIMESERIES, "stacking");
      this.stacked = true;
      return this;
    }

    /** Draws bars instead of lines (time series only). */
    public Builder bars() {
      only(PanelKind.TIMESERIES, "bars");
      this.bars = true;
      return this;
    }

    /** Draws the thresholds as dashed lines with shaded areas (time series only). */
    public Builder showThresholds() {
      only(PanelKind.TIMESERIES, "threshold lines");
      this.thresholdsStyle = "line+area";
      return this;
    }

    /** Shows the legend as a table with these reducers, e.g. "lastNotNull", "max". */
    public Builder legendTable(String... calcs) {
      only(PanelKind.TIMESERIES, "legend table");
      legendCalcs.addAll(List.of(calcs));
      return this;
    }

    /** Colours the whole stat background instead of the value text. */
    public Builder colorBackground() {
      only(PanelKind.STAT, "background colour");
      this.colorBackground = true;
      return this;
    }

    /** Draws a small graph behind the stat value. */
    public Builder sparkline() {
      only(PanelKind.STAT, "sparkline");
      this.sparkline = true;
      return this;
    }

    public Builder sortBy(String column, boolean descending) {
      only(PanelKind.TABLE, "sorting");
      this.sortColumn = Objects.requireNonNull(column, "column");
      this.sortDescending = descending;
      return this;
    }

    public Panel build() {
      if (targets.isEmpty()) {
        throw fail("has no query");
      }
      Datasource ds = targets.get(0).datasource();
      for (Target t : targets) {
        if (!t.datasource().equals(ds)) {
          throw fail("mixes datasources " + ds.uid() + " and " + t.datasource().uid());
        }
      }
      if (targets.size() > REF_IDS.length()) {
        throw fail("has more than " + REF_IDS.length() + " queries");
      }
      if (kind == PanelKind.LOGS && !targets.get(0).isLoki()) {
        throw fail("is a logs panel but queries " + ds.uid() + ", not Loki");
      }
      if (kind == PanelKind.TABLE
          && targets.stream().anyMatch(t -> t.isPrometheus() && !t.table())) {
        throw fail("is a table but has a Prometheus query not in table format (use asTable())");
      }
      if (min != null && max != null && min >= max) {
        throw fail("min " + min + " is not below max " + max);
      }
      return new Panel(this);
    }

    private void only(PanelKind required, String what) {
      if (kind != required) {
        throw fail(what + " applies to " + required.grafanaType() + " panels only");
      }
    }

    private void notFor(PanelKind excluded, String what) {
      if (kind == excluded) {
        throw fail(what + " does not apply to " + excluded.grafanaType() + " panels");
      }
    }

    private IllegalArgumentException fail(String message) {
      return new IllegalArgumentException(kind.grafanaType() + " panel '" + title + "' " + message);
    }
  }
}
