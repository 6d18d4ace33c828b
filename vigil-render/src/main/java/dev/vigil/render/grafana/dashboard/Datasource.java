package dev.vigil.render.grafana.dashboard;

import java.util.Objects;

/** A Grafana datasource reference as panels and targets carry it: plugin type and fixed uid. */
public record Datasource(String type, String uid) {
  public Datasource {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(uid, "uid");
    if (type.isBlank() || uid.isBlank()) {
      throw new IllegalArgumentException("datasource type and uid must not be blank");
    }
  }

  com.fasterxml.jackson.databind.node.ObjectNode toJson() {
    return Json.obj("type", type, "uid", uid);
  }
}
