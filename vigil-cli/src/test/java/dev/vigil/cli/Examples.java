package dev.vigil.cli;

import dev.vigil.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shipped example stations, found by looking at examples/ rather than listed, so a new example
 * is held to the same tests as soon as it exists.
 */
final class Examples {
  private Examples() {}

  static Path dir() {
    return Repo.resolve("examples");
  }

  /** Names of the directories under examples/ that hold a vigil.yaml, sorted. */
  static List<String> stations() {
    try (Stream<Path> dirs = Files.list(dir())) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("vigil.yaml")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example's environment overlays (environments/*.yaml), sorted; none when it has none. */
  static List<Path> overlays(String station) {
    Path envs = dir().resolve(station).resolve("environments");
    if (!Files.isDirectory(envs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(envs)) {
      return files
          .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
