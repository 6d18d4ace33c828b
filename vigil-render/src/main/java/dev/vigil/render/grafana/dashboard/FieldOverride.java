package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Field config for the fields a matcher selects, e.g. colouring one table column or drawing
 * transmit traffic below the axis.
 */
public final class FieldOverride {
  private final String matcherId;
  private final String matcherOptions;
  private final List<String> propertyIds;
  private final List<JsonNode> propertyValues;

  private FieldOverride(
      String matcherId, String matcherOptions, List<String> ids, List<JsonNode> values) {
    this.matcherId = matcherId;
    this.matcherOptions = matcherOptions;
    this.propertyIds = List.copyOf(ids);
    this.propertyValues = List.copyOf(values);
  }

  /** Fields whose display name equals {@code name} (a table column, a legend entry). */
  public static FieldOverride byName(String name) {
    return new FieldOverride("byName", Objects.requireNonNull(name), List.of(), List.of());
  }

  /** Fields whose display name matches a regular expression. */
  public static FieldOverride byRegexp(String regexp) {
    return new FieldOverride("byRegexp", Objects.requireNonNull(regexp), List.of(), List.of());
  }

  /** Fields of the query with this refId. */
  public static FieldOverride byQuery(String refId) {
    return new FieldOverride("byFrameRefID", Objects.requireNonNull(refId), List.of(), List.of());
  }

  /** Sets a field config property, e.g. {@code unit}, {@code color}, {@code custom.cellOptions}. */
  public FieldOverride set(String propertyId, Object value) {
    Objects.requireNonNull(propertyId, "propertyId");
    if (propertyIds.contains(propertyId)) {
      throw new IllegalArgumentException("override sets " + propertyId + " twice");
    }
    List<String> ids = new ArrayList<>(propertyIds);
    List<JsonNode> values = new ArrayList<>(propertyValues);
    ids.add(propertyId);
    values.add(Json.node(value));
    return new FieldOverride(matcherId, matcherOptions, ids, values);
  }

  /** A fixed series colour. */
  public FieldOverride color(String color) {
    return set("color", Json.obj("mode", "fixed", "fixedColor", color));
  }

  /** Table cells of this column get the background colour of their mapping or threshold. */
  public FieldOverride colorBackground() {
    return set("custom.cellOptions", Json.obj("type", "color-background", "mode", "basic"));
  }

  /** Time series drawn below the axis, such as transmit next to receive traffic. */
  public FieldOverride negativeY() {
    return set("custom.transform", "negative-Y");
  }

  public FieldOverride unit(String unit) {
    return set("unit", unit);
  }

  public FieldOverride displayName(String name) {
    return set("displayName", name);
  }

  public FieldOverride thresholds(Thresholds thresholds) {
    return set("thresholds", thresholds.toJson());
  }

  public FieldOverride mappings(ValueMapping... mappings) {
    return set("mappings", Panel.mappingsJson(List.of(mappings)));
  }

  public String matcher() {
    return matcherId + ":" + matcherOptions;
  }

  public List<String> propertyIds() {
    return propertyIds;
  }

  ObjectNode toJson() {
    if (propertyIds.isEmpty()) {
      throw new IllegalStateException("override for " + matcher() + " sets no property");
    }
    ArrayNode props = Json.arr();
    for (int i = 0; i < propertyIds.size(); i++) {
      props.add(Json.obj("id", propertyIds.get(i), "value", propertyValues.get(i)));
    }
    return Json.obj(
        "matcher", Json.obj("id", matcherId, "options", matcherOptions), "properties", props);
  }
}
