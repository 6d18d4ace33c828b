package dev.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository from a test, whichever module directory it runs in. */
public final class Repo {
  private Repo() {}

  /** The repository root: the nearest directory upwards that holds {@code mvnw}. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no mvnw above " + dir);
  }

  public static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
