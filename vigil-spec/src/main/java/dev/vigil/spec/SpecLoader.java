package dev.vigil.spec;

import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a station: the base spec (a file, or the embedded default) with environment overlays
 * merged over it, bound strictly and checked across fields. Every problem is reported at once,
 * located by file, line and column.
 */
public final class SpecLoader {
  /** Name under which the embedded default station is reported. */
  public static final String DEFAULT_NAME = "<default station>";

  private static final String DEFAULT_RESOURCE = "/dev/vigil/spec/default-station.yaml";

  private SpecLoader() {}

  /** The embedded default station's YAML. */
  public static String defaultText() {
    try (InputStream in = SpecLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the default station is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads {@code file} (or the default station when null) with the overlays merged over it in
   * order.
   *
   * @throws SpecFileException when a file cannot be read
   */
  public static Bound<Station> load(Path file, List<Path> overlays) {
    List<Source> sources = new ArrayList<>();
    sources.add(file == null ? new Source(DEFAULT_NAME, defaultText()) : read(file));
    for (Path overlay : overlays) {
      sources.add(read(overlay));
    }
    return load(sources);
  }

  public static Bound<Station> loadDefault() {
    return load(null, List.of());
  }

  /** Loads from in-memory sources, base first. */
  public static Bound<Station> load(List<Source> sources) {
    Bound<Station> bound = Binder.bind(Station.class, sources);
    if (!bound.ok()) {
      return bound;
    }
    return bound.withProblems(StationChecks.check(bound.value(), bound.locations()));
  }

  private static Source read(Path path) {
    try {
      return new Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new SpecFileException(path + ": no such file");
    } catch (IOException e) {
      throw new SpecFileException(path + ": cannot read: " + e.getMessage());
    }
  }

  /** A spec file that could not be read at all (missing, unreadable). */
  public static final class SpecFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecFileException(String message) {
      super(message);
    }
  }
}
