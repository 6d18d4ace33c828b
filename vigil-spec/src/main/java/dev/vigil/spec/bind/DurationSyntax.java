package dev.vigil.spec.bind;

import dev.vigil.base.DurationText;
import java.time.Duration;

/**
 * The spec's duration syntax, now {@link DurationText}'s: kept so code that still refers to it
 * compiles.
 *
 * @deprecated use {@link DurationText}
 */
@Deprecated
public final class DurationSyntax {
  /** The accepted syntax, also published in the JSON Schema. */
  public static final String SCHEMA_PATTERN = DurationText.SCHEMA_PATTERN;

  /** What the error messages say was expected. */
  public static final String EXPECTED = DurationText.EXPECTED;

  private DurationSyntax() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException saying what was expected and what was given
   */
  public static Duration parse(String text) {
    return DurationText.parse(text);
  }
}
