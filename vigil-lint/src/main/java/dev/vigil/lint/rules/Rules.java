package dev.vigil.lint.rules;

import dev.vigil.lint.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every rule, in documentation order. Rules are stateless, so one list serves all runs. */
public final class Rules {
  private static final List<Rule> ALL = build();

  private Rules() {}

  public static List<Rule> all() {
    return ALL;
  }

  private static List<Rule> build() {
    List<Rule> r = new ArrayList<>();
    r.addAll(PssRules.all());
    r.addAll(PracticeRules.all());
    r.addAll(MonitoringRules.all());
    r.addAll(RuleFileRules.all());
    r.addAll(ClusterRules.all());
    r.addAll(SchemaRules.all());
    Set<String> seen = new HashSet<>();
    for (Rule rule : r) {
      if (!seen.add(rule.id())) {
        throw new IllegalStateException("duplicate rule id " + rule.id());
      }
    }
    return List.copyOf(r);
  }
}
