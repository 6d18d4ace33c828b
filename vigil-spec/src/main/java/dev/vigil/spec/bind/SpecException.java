package dev.vigil.spec.bind;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that did not bind; the message lists every problem, one per line. */
public final class SpecException extends RuntimeException {
  private final transient List<Problem> problems;

  public SpecException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
