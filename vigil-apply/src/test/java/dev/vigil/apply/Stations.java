package dev.vigil.apply;

import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The shipped stations, rendered, and plans made from them. */
final class Stations {
  private Stations() {}

  static Station load(String name) {
    return SpecLoader.load(
            name.equals("default") ? null : Repo.resolve("examples/" + name + "/vigil.yaml"),
            List.of())
        .orThrow();
  }

  /** The station of {@code name} with an overlay written from {@code yaml}. */
  static Station load(String name, String overlayYaml) throws Exception {
    Path overlay = Files.createTempFile("vigil-overlay", ".yaml");
    try {
      Files.writeString(overlay, overlayYaml);
      return SpecLoader.load(
              name.equals("default") ? null : Repo.resolve("examples/" + name + "/vigil.yaml"),
              List.of(overlay))
          .orThrow();
    } finally {
      Files.deleteIfExists(overlay);
    }
  }

  static RenderedStack render(Station s) {
    return new StackRenderer().render(s);
  }

  static Plan plan(Station s, Set<String> only, Set<String> tags, boolean deps)
      throws Selection.SelectionException {
    RenderedStack stack = render(s);
    Selection.Selected sel =
        Selection.select(ComponentRegistry.load(), stack.components().keySet(), only, tags, deps);
    return Planner.plan(s.cluster().name(), stack, sel);
  }

  static Plan plan(Station s) throws Selection.SelectionException {
    return plan(s, Set.of(), Set.of(), true);
  }
}
