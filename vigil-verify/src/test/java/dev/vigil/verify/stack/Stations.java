package dev.vigil.verify.stack;

import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shipped stations, and stations written by a test. */
final class Stations {
  private Stations() {}

  static Station load(String name) {
    return SpecLoader.load(
            name.equals("default") ? null : Repo.resolve("examples/" + name + "/vigil.yaml"),
            List.of())
        .orThrow();
  }

  static Station fromYaml(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, yaml);
    return SpecLoader.load(f, List.of()).orThrow();
  }
}
