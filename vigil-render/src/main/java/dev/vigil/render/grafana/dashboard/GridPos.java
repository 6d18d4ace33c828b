package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A panel's place on the 24-column grid, in grid units. */
public record GridPos(int x, int y, int w, int h) {
  public GridPos {
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > Panel.GRID_COLUMNS) {
      throw new IllegalArgumentException(
          "grid position off the grid: " + x + "," + y + " " + w + "x" + h);
    }
  }

  public boolean overlaps(GridPos o) {
    return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
  }

  ObjectNode toJson() {
    return Json.obj("h", h, "w", w, "x", x, "y", y);
  }
}
