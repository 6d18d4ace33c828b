package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Absolute thresholds: a base colour and colours that apply from a value upwards. Built as {@code
 * Thresholds.base("green").from(65, "yellow").from(75, "orange").from(85, "red")}.
 */
public final class Thresholds {
  /** A colour that applies from {@code value} upwards; the base step has no value. */
  public record Step(Double value, String color) {
    public Step {
      Objects.requireNonNull(color, "color");
    }
  }

  private final List<Step> steps;

  private Thresholds(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static Thresholds base(String color) {
    return new Thresholds(List.of(new Step(null, color)));
  }

  /** Adds a step; values must strictly increase. */
  public Thresholds from(double value, String color) {
    Step last = steps.get(steps.size() - 1);
    if (last.value() != null && value <= last.value()) {
      throw new IllegalArgumentException(
          "threshold " + value + " must be above the previous one (" + last.value() + ")");
    }
    List<Step> next = new ArrayList<>(steps);
    next.add(new Step(value, color));
    return new Thresholds(next);
  }

  public List<Step> steps() {
    return steps;
  }

  ObjectNode toJson() {
    ArrayNode a = Json.arr();
    for (Step s : steps) {
      a.add(
          Json.obj("color", s.color(), "value", s.value() == null ? null : Json.number(s.value())));
    }
    return Json.obj("mode", "absolute", "steps", a);
  }

  @Override
  public String toString() {
    return "Thresholds" + steps;
  }
}
