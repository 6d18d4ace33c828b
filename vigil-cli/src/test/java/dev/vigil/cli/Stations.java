package dev.vigil.cli;

import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.nio.file.Path;
import java.util.List;

/** The stations every render test covers: the embedded default and the shipped examples. */
final class Stations {
  static final List<String> NAMES = List.of("default", "homelab", "production");

  private Stations() {}

  static Path specFile(String name) {
    return name.equals("default") ? null : Repo.resolve("examples/" + name + "/vigil.yaml");
  }

  static Station load(String name) {
    return SpecLoader.load(specFile(name), List.of()).orThrow();
  }

  static RenderedStack render(String name) {
    return new StackRenderer().render(load(name));
  }
}
