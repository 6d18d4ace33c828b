package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.types.Quantity;

@Doc("Container resources; any value left out takes the component's default.")
public record Resources(@Doc("Requests.") Amounts requests, @Doc("Limits.") Amounts limits) {
  @Doc("CPU and memory amounts.")
  public record Amounts(
      @Doc("CPU, e.g. 500m.") Quantity cpu, @Doc("Memory, e.g. 1Gi.") Quantity memory) {}
}
