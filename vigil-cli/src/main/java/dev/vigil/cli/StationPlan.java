package dev.vigil.cli;

import dev.vigil.apply.Plan;
import dev.vigil.apply.Planner;
import dev.vigil.apply.Selection;
import dev.vigil.lint.Report;
import dev.vigil.lint.output.HumanFormat;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.spec.model.Station;
import java.io.PrintWriter;
import java.util.Optional;

/** Loads, renders and plans a station for apply and diff, or says why it cannot. */
record StationPlan(Station station, RenderedStack stack, Plan plan) {
  static Optional<StationPlan> make(
      String command, SpecOptions spec, Selecting selecting, PrintWriter err) {
    Optional<Station> station = spec.load(err);
    if (station.isEmpty()) {
      return Optional.empty();
    }
    RenderedStack stack = new StackRenderer().render(station.get());
    Report lint = StackLint.run(station.get(), stack);
    long failing = lint.findings().stream().filter(lint::failing).count();
    if (failing > 0 || !lint.errors().isEmpty()) {
      HumanFormat.write(lint, err, false);
      err.println(
          "vigil "
              + command
              + ": the rendered stack fails "
              + failing
              + " lint findings at warning or above; nothing was sent to the cluster.");
      return Optional.empty();
    }
    try {
      Selection.Selected sel =
          Selection.select(
              ComponentRegistry.load(),
              stack.components().keySet(),
              selecting.only(),
              selecting.tags(),
              !selecting.noDeps);
      return Optional.of(
          new StationPlan(
              station.get(), stack, Planner.plan(station.get().cluster().name(), stack, sel)));
    } catch (Selection.SelectionException e) {
      err.println("vigil " + command + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
