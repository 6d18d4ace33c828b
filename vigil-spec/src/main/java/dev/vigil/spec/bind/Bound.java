package dev.vigil.spec.bind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of binding: the value (null when there is any problem), every problem found, sorted by
 * file (in the order the sources were given), line and column, and where each field was written.
 */
public record Bound<T>(T value, List<Problem> problems, Locations locations) {
  public Bound {
    problems = List.copyOf(problems);
    Objects.requireNonNull(locations, "locations");
    if (!problems.isEmpty()) {
      value = null;
    }
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * Adds problems found by checks across the whole spec (e.g. with {@link Locations#problemAt});
   * the value is dropped if there are any.
   */
  public Bound<T> withProblems(List<Problem> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(more);
    return new Bound<>(null, Binder.sort(all, locations.files()), locations);
  }

  /** The value, or an exception whose message lists every problem, one per line. */
  public T orThrow() {
    if (!ok()) {
      throw new SpecException(problems);
    }
    return value;
  }

  /**
   * The problems, one per line, as a command prints them: the first {@link Problem#MAX_REPORTED},
   * then "and N more problems" if there are more.
   */
  public String report() {
    return Problem.listing(problems, Problem::toString);
  }

  /**
   * The problems as {@link #report()} lists them, each followed by its source line and a caret
   * where the line can be shown.
   */
  public String reportWithExcerpts() {
    return Problem.listing(
        problems,
        p -> {
          String excerpt = locations.excerpt(p);
          return excerpt.isEmpty() ? p.toString() : p + "\n" + excerpt;
        });
  }
}
