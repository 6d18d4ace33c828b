package dev.vigil.cli;

import dev.vigil.base.input.InputException;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RegistryChecks;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.model.Station;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The spec a command works on: a file (or the embedded default) plus environment overlays. */
public final class SpecOptions {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "vigil.yaml",
      description =
          "Station spec. render and agent default to the embedded default station (a three-node homelab).")
  Path file;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "overlay.yaml",
      description =
          "Environment overlay merged over the spec, in order (repeatable). Replaces sed-templated env files.")
  List<Path> overlays = new ArrayList<>();

  /** Loads the station, or prints every problem to {@code err} and returns empty. */
  public Optional<Station> load(PrintWriter err) {
    Bound<Station> bound;
    try {
      bound =
          SpecLoader.load(
              file,
              overlays,
              (station, at) -> RegistryChecks.check(station, at, ComponentRegistry.load()));
    } catch (SpecLoader.SpecFileException | InputException e) {
      err.println("vigil: " + e.getMessage());
      return Optional.empty();
    }
    if (!bound.ok()) {
      err.println(bound.report());
      int n = bound.problems().size();
      err.println(n + (n == 1 ? " problem" : " problems") + " in the spec; nothing was done.");
      return Optional.empty();
    }
    return Optional.of(bound.value());
  }

  /** Whether a spec file was given (some commands work without one). */
  public boolean given() {
    return file != null;
  }

  public String describe() {
    return file == null ? "the default station" : file.toString();
  }
}
