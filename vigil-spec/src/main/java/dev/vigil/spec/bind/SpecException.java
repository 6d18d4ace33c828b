package dev.vigil.spec.bind;

import java.util.List;

/**
 * A spec that did not bind; the message lists the problems one per line (the first {@link
 * Problem#MAX_REPORTED}, then how many more), {@link #problems()} has them all.
 */
public final class SpecException extends RuntimeException {
  private final transient List<Problem> problems;

  public SpecException(List<Problem> problems) {
    super(Problem.listing(problems, Problem::toString));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
