package dev.vigil.lint.rules;

import dev.vigil.lint.ConfigDoc;
import dev.vigil.lint.Context;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;
import java.util.Set;

/** A rule evaluated on monitoring configurations of the given types. */
final class ConfigRule extends Rule {
  interface Check {
    void check(ConfigDoc c, Context ctx);
  }

  private final Set<ConfigDoc.Type> types;
  private final Check check;

  ConfigRule(
      String id,
      Severity severity,
      String title,
      String doc,
      String fix,
      Set<ConfigDoc.Type> types,
      Check check) {
    super(id, severity, LintProfile.VIGIL, "monitoring", title, doc, fix);
    this.types = types;
    this.check = check;
  }

  @Override
  public void check(Context ctx) {
    for (ConfigDoc c : ctx.configs()) {
      if (types.contains(c.type())) {
        check.check(c, ctx);
      }
    }
  }
}
