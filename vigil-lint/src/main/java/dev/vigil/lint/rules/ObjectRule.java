package dev.vigil.lint.rules;

import dev.vigil.lint.Context;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;

/** A rule evaluated once per object. */
final class ObjectRule extends Rule {
  interface Check {
    void check(Manifest m, Context ctx);
  }

  private final Check check;

  /** The kinds the rule looks at, or null for every object. */
  private final java.util.List<String> kinds;

  ObjectRule(
      String id,
      Severity severity,
      LintProfile level,
      String category,
      String title,
      String doc,
      String fix,
      Check check) {
    this(id, severity, level, category, title, doc, fix, null, check);
  }

  /** A rule on objects of the given kinds only: it visits them through the kind index. */
  ObjectRule(
      String id,
      Severity severity,
      LintProfile level,
      String category,
      String title,
      String doc,
      String fix,
      java.util.List<String> kinds,
      Check check) {
    super(id, severity, level, category, title, doc, fix);
    this.check = check;
    this.kinds = kinds;
  }

  @Override
  public void check(Context ctx) {
    if (kinds == null) {
      for (Manifest m : ctx.manifests()) {
        check.check(m, ctx);
      }
      return;
    }
    for (String kind : kinds) {
      for (Manifest m : ctx.ofKind(kind)) {
        check.check(m, ctx);
      }
    }
  }
}
