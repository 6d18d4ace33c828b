package dev.vigil.spec;

import dev.vigil.base.input.InputException;
import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.bind.Locations;
import dev.vigil.spec.bind.Problem;
import dev.vigil.spec.bind.Source;
import dev.vigil.spec.model.Station;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a station: the base spec (a file, or the embedded default) with environment overlays merged
 * over it, bound strictly and checked across fields. Every problem is reported at once, located by
 * file, line and column.
 *
 * <p>Nothing in a spec is trusted: files are read only if they are regular files of at most {@link
 * #MAX_FILE_BYTES} in UTF-8, and every source passes the YAML limits of {@link
 * dev.vigil.spec.bind.YamlTree#parse} before anything is built from it. Whatever the input, the
 * result is a value or located problems, in time and memory bounded by those limits.
 */
public final class SpecLoader {
  /** Name under which the embedded default station is reported. */
  public static final String DEFAULT_NAME = "<default station>";

  /** The largest spec or overlay file read, in bytes. */
  public static final int MAX_FILE_BYTES = Source.MAX_BYTES;

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
   * @throws SpecFileException when a file cannot be read: missing, not a regular file (a device or
   *     a FIFO), larger than {@link #MAX_FILE_BYTES}, or not UTF-8
   */
  public static Bound<Station> load(Path file, List<Path> overlays) {
    return load(file, overlays, NO_MORE_CHECKS);
  }

  /**
   * Checks of a whole station that need knowledge this module does not have (what the renderer
   * renders); run with the station's own cross-field checks, so every problem is reported at once.
   */
  @FunctionalInterface
  public interface StationCheck {
    List<Problem> check(Station station, Locations at);
  }

  private static final StationCheck NO_MORE_CHECKS = (station, at) -> List.of();

  /** As {@link #load(Path, List)}, with {@code more} checks beside the station's own. */
  public static Bound<Station> load(Path file, List<Path> overlays, StationCheck more) {
    List<Source> sources = new ArrayList<>();
    sources.add(file == null ? new Source(DEFAULT_NAME, defaultText()) : read(file));
    for (Path overlay : overlays) {
      sources.add(read(overlay));
    }
    return load(sources, more);
  }

  public static Bound<Station> loadDefault() {
    return load(null, List.of());
  }

  /** Loads from in-memory sources, base first. */
  public static Bound<Station> load(List<Source> sources) {
    return load(sources, NO_MORE_CHECKS);
  }

  /**
   * Loads from in-memory sources, base first, with {@code more} checks beside the station's own.
   */
  public static Bound<Station> load(List<Source> sources, StationCheck more) {
    Bound<Station> bound = Binder.bind(Station.class, sources);
    if (!bound.ok()) {
      return bound;
    }
    List<Problem> problems = new ArrayList<>(StationChecks.check(bound.value(), bound.locations()));
    problems.addAll(more.check(bound.value(), bound.locations()));
    return bound.withProblems(problems);
  }

  private static Source read(Path path) {
    try {
      return Source.read(path);
    } catch (InputException e) {
      throw new SpecFileException(e.getMessage());
    }
  }

  /**
   * A spec file that could not be read at all (missing, unreadable, not a regular file, too large,
   * not UTF-8); the message names the file, with line and column when there is one.
   */
  public static final class SpecFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecFileException(String message) {
      super(message);
    }
  }
}
