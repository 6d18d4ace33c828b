package dev.vigil.lint.rules;

import dev.vigil.lint.Context;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;

/** A rule evaluated once per pod spec (in any pod-bearing kind). */
final class PodRule extends Rule {
  interface Check {
    void check(PodSpec pod, Context ctx);
  }

  private final Check check;

  PodRule(
      String id,
      Severity severity,
      LintProfile level,
      String category,
      String title,
      String doc,
      String fix,
      Check check) {
    super(id, severity, level, category, title, doc, fix);
    this.check = check;
  }

  @Override
  public void check(Context ctx) {
    for (PodSpec p : ctx.pods()) {
      check.check(p, ctx);
    }
  }
}
