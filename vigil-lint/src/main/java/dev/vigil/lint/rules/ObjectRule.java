package dev.vigil.lint.rules;

import dev.vigil.lint.Context;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.Profile;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;

/** A rule evaluated once per object. */
final class ObjectRule extends Rule {
  interface Check {
    void check(Manifest m, Context ctx);
  }

  private final Check check;

  ObjectRule(
      String id,
      Severity severity,
      Profile level,
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
    for (Manifest m : ctx.manifests()) {
      check.check(m, ctx);
    }
  }
}
