package dev.vigil.lint;

import java.util.Objects;

/**
 * A check with its documentation. Subclasses look at one object, one pod spec or one monitoring
 * configuration at a time; cross-object rules use the {@link Context} indexes.
 */
public abstract class Rule {
  private final String id;
  private final Severity severity;
  private final LintProfile level;
  private final String category;
  private final String title;
  private final String doc;
  private final String fix;

  protected Rule(
      String id,
      Severity severity,
      LintProfile level,
      String category,
      String title,
      String doc,
      String fix) {
    this.id = Objects.requireNonNull(id);
    this.severity = Objects.requireNonNull(severity);
    this.level = Objects.requireNonNull(level);
    this.category = category;
    this.title = title;
    this.doc = doc;
    this.fix = fix;
    if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("rule id must be kebab-case: " + id);
    }
  }

  public final String id() {
    return id;
  }

  public final Severity severity() {
    return severity;
  }

  /** The lowest profile that runs this rule. */
  public final LintProfile level() {
    return level;
  }

  public final String category() {
    return category;
  }

  public final String title() {
    return title;
  }

  public final String doc() {
    return doc;
  }

  public final String fix() {
    return fix;
  }

  /** Runs the rule over everything loaded, reporting through {@code ctx}. */
  public abstract void check(Context ctx);

  @Override
  public String toString() {
    return id;
  }
}
