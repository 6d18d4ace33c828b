package dev.vigil.lint;

import java.util.List;

/**
 * The outcome of one lint run.
 *
 * @param rules the rules that ran, with their effective severity
 * @param objects number of Kubernetes objects checked
 * @param configs number of monitoring configurations checked
 * @param suppressed findings dropped by an exemption annotation with a reason
 */
public record Report(
    List<RuleRun> rules,
    List<Finding> findings,
    List<InputError> errors,
    int objects,
    int configs,
    int suppressed,
    LintConfig config) {

  /** A rule as it ran: its definition and the severity the config gave it. */
  public record RuleRun(Rule rule, Severity severity) {}

  public Report {
    rules = List.copyOf(rules);
    findings = List.copyOf(findings);
    errors = List.copyOf(errors);
  }

  public long count(Severity s) {
    return findings.stream().filter(f -> f.severity() == s).count();
  }

  /** Findings at or above the fail-on threshold. */
  public boolean failing(Finding f) {
    return config.failOn() != null && f.severity().compareTo(config.failOn()) >= 0;
  }

  /**
   * 0 clean, 1 findings at or above {@code failOn}, 2 input errors (they win: the run is partial).
   */
  public int exitCode() {
    if (!errors.isEmpty()) {
      return 2;
    }
    return findings.stream().anyMatch(this::failing) ? 1 : 0;
  }
}
