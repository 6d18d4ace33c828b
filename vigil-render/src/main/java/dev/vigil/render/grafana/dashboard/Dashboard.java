package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Grafana dashboard built in code. Panels are grouped in rows and laid out on the 24-column grid
 * left to right, wrapping when a line is full, each as high up as its columns allow; ids are
 * assigned in definition order. {@link #toJson()} prints the same bytes for the same definition.
 */
public final class Dashboard {
  /** Grafana dashboard JSON schema version the output follows (Grafana 11). */
  public static final int SCHEMA_VERSION = 39;

  /** Tag on every Vigil dashboard; the dashboard links menu lists dashboards by it. */
  public static final String TAG = "vigil";

  private static final Pattern UID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern VARIABLE_USE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
  private static final Set<String> BUILT_INS =
      Set.of(
          "__rate_interval",
          "__interval",
          "__interval_ms",
          "__range",
          "__range_s",
          "__range_ms",
          "__auto");

  /** A panel with the id and place the layout gave it; {@code row} is empty above the first row. */
  public record Placed(int id, String row, Panel panel, GridPos pos) {}

  /** A row header with the id and place the layout gave it. */
  public record PlacedRow(int id, String title, GridPos pos) {}

  private record Section(String title, List<Panel> panels) {}

  private final String uid;
  private final String title;
  private final String description;
  private final List<String> tags;
  private final String refresh;
  private final String timeFrom;
  private final List<Variable> variables;
  private final List<PlacedRow> rows;
  private final List<Placed> panels;

  private Dashboard(Builder b, List<PlacedRow> rows, List<Placed> panels) {
    this.uid = b.uid;
    this.title = b.title;
    this.description = b.description;
    this.tags = List.copyOf(b.tags);
    this.refresh = b.refresh;
    this.timeFrom = b.timeFrom;
    this.variables = List.copyOf(b.variables);
    this.rows = List.copyOf(rows);
    this.panels = List.copyOf(panels);
  }

  public static Builder builder(String uid, String title) {
    return new Builder(uid, title);
  }

  public String uid() {
    return uid;
  }

  public String title() {
    return title;
  }

  /** The file the dashboard is provisioned from, e.g. {@code cluster-overview.json}. */
  public String fileName() {
    return uid + ".json";
  }

  public List<String> tags() {
    return tags;
  }

  public List<Variable> variables() {
    return variables;
  }

  /** Panels (without row headers) in layout order. */
  public List<Placed> panels() {
    return panels;
  }

  public List<PlacedRow> rows() {
    return rows;
  }

  /** The dashboard model as Grafana's file provisioning reads it, pretty-printed. */
  public String toJson() {
    return Json.print(toJsonNode());
  }

  public ObjectNode toJsonNode() {
    ObjectNode d = Json.obj("uid", uid, "title", title);
    if (!description.isEmpty()) {
      d.put("description", description);
    }
    d.set("tags", Json.arr(tags.toArray()));
    d.put("timezone", "browser");
    d.put("editable", true);
    // 1: shared crosshair, so a spike lines up across panels.
    d.put("graphTooltip", 1);
    d.put("refresh", refresh);
    d.set("time", Json.obj("from", timeFrom, "to", "now"));
    d.put("schemaVersion", SCHEMA_VERSION);
    d.put("version", 1);
    d.set(
        "links",
        Json.arr(
            Json.obj(
                "type", "dashboards",
                "title", "Vigil dashboards",
                "tags", Json.arr(TAG),
                "asDropdown", true,
                "includeVars", false,
                "keepTime", true,
                "targetBlank", false)));
    ArrayNode vars = Json.arr();
    variables.forEach(v -> vars.add(v.toJson()));
    d.set("templating", Json.obj("list", vars));
    ArrayNode out = Json.arr();
    int r = 0;
    int p = 0;
    // Rows and panels interleave in id order: each row header precedes the panels under it,
    // which is how Grafana assigns panels to rows.
    while (r < rows.size() || p < panels.size()) {
      if (r < rows.size() && (p >= panels.size() || rows.get(r).id() < panels.get(p).id())) {
        PlacedRow row = rows.get(r++);
        out.add(
            Json.obj(
                "id", row.id(),
                "type", "row",
                "title", row.title(),
                "collapsed", false,
                "gridPos", row.pos().toJson(),
                "panels", Json.arr()));
      } else {
        Placed placed = panels.get(p++);
        out.add(placed.panel().toJson(placed.id(), placed.pos()));
      }
    }
    d.set("panels", out);
    return d;
  }

  @Override
  public String toString() {
    return "Dashboard " + uid + " '" + title + "' (" + panels.size() + " panels)";
  }

  /** Collects rows and panels; {@link #build()} validates and lays them out. */
  public static final class Builder {
    private final String uid;
    private final String title;
    private String description = "";
    private final Set<String> tags = new LinkedHashSet<>(List.of(TAG));
    private String refresh = "30s";
    private String timeFrom = "now-6h";
    private final List<Variable> variables = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    private Builder(String uid, String title) {
      this.uid = Objects.requireNonNull(uid, "uid");
      this.title = Objects.requireNonNull(title, "title");
      if (!UID.matcher(uid).matches()) {
        throw new IllegalArgumentException(
            "dashboard uid '" + uid + "' must be 1-40 characters of a-z, 0-9 and '-'");
      }
      if (title.isBlank()) {
        throw new IllegalArgumentException("dashboard " + uid + " has a blank title");
      }
    }

    public Builder description(String text) {
      this.description = Objects.requireNonNull(text, "description");
      return this;
    }

    public Builder tags(String... more) {
      tags.addAll(List.of(more));
      return this;
    }

    /** Auto-refresh interval such as "30s"; the operators' dashboards refresh every 30 s. */
    public Builder refresh(String interval) {
      this.refresh = Objects.requireNonNull(interval, "refresh");
      return this;
    }

    /** Start of the default time range, e.g. "now-6h". */
    public Builder timeFrom(String from) {
      this.timeFrom = Objects.requireNonNull(from, "timeFrom");
      return this;
    }

    public Builder variable(Variable variable) {
      Objects.requireNonNull(variable, "variable");
      for (Variable v : variables) {
        if (v.name().equals(variable.name())) {
          throw new IllegalArgumentException(
              "dashboard " + uid + " declares variable $" + variable.name() + " twice");
        }
      }
      variables.add(variable);
      return this;
    }

    /** Panels above the first row header; only allowed before any {@link #row}. */
    public Builder panels(Panel.Builder... panels) {
      if (!sections.isEmpty()) {
        throw new IllegalArgumentException(
            "dashboard " + uid + ": panels without a row must come before the first row");
      }
      sections.add(new Section("", buildAll(panels)));
      return this;
    }

    /** A titled row with its panels. */
    public Builder row(String rowTitle, Panel.Builder... panels) {
      Objects.requireNonNull(rowTitle, "row title");
      if (rowTitle.isBlank()) {
        throw new IllegalArgumentException("dashboard " + uid + " has a row with a blank title");
      }
      sections.add(new Section(rowTitle, buildAll(panels)));
      return this;
    }

    private static List<Panel> buildAll(Panel.Builder... panels) {
      List<Panel> built = new ArrayList<>();
      for (Panel.Builder b : panels) {
        built.add(b.build());
      }
      return built;
    }

    public Dashboard build() {
      List<PlacedRow> rows = new ArrayList<>();
      List<Placed> placed = new ArrayList<>();
      Set<String> titles = new HashSet<>();
      int id = 1;
      int y = 0;
      for (Section s : sections) {
        if (s.panels().isEmpty()) {
          throw new IllegalArgumentException(
              "dashboard " + uid + ": row '" + s.title() + "' has no panels");
        }
        if (!s.title().isEmpty()) {
          rows.add(new PlacedRow(id++, s.title(), new GridPos(0, y, Panel.GRID_COLUMNS, 1)));
          y += 1;
        }
        // Left to right, wrapping when the line is full; each panel then sits directly under
        // whatever occupies its columns. That is where Grafana's grid would float it anyway, so
        // the positions written are the positions shown.
        int[] bottom = new int[Panel.GRID_COLUMNS];
        Arrays.fill(bottom, y);
        int x = 0;
        for (Panel p : s.panels()) {
          if (!titles.add(p.title())) {
            throw new IllegalArgumentException(
                "dashboard " + uid + " has two panels titled '" + p.title() + "'");
          }
          checkVariables(p);
          if (x + p.width() > Panel.GRID_COLUMNS) {
            x = 0;
          }
          int top = y;
          for (int c = x; c < x + p.width(); c++) {
            top = Math.max(top, bottom[c]);
          }
          placed.add(new Placed(id++, s.title(), p, new GridPos(x, top, p.width(), p.height())));
          for (int c = x; c < x + p.width(); c++) {
            bottom[c] = top + p.height();
          }
          x += p.width();
        }
        for (int b : bottom) {
          y = Math.max(y, b);
        }
      }
      if (placed.isEmpty()) {
        throw new IllegalArgumentException("dashboard " + uid + " has no panels");
      }
      return new Dashboard(this, rows, placed);
    }

    private void checkVariables(Panel p) {
      Set<String> declared = new HashSet<>(BUILT_INS);
      variables.forEach(v -> declared.add(v.name()));
      for (Target t : p.targets()) {
        Matcher m = VARIABLE_USE.matcher(t.expr());
        while (m.find()) {
          if (!declared.contains(m.group(1))) {
            throw new IllegalArgumentException(
                "dashboard "
                    + uid
                    + ", panel '"
                    + p.title()
                    + "': query uses $"
                    + m.group(1)
                    + ", which is neither a dashboard variable nor a Grafana built-in: "
                    + t.expr());
          }
        }
      }
    }
  }
}
