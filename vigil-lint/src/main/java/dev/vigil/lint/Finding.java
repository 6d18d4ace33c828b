package dev.vigil.lint;

/**
 * One rule violation.
 *
 * @param object the offending object, or null for a finding in a plain configuration file
 */
public record Finding(
    String ruleId,
    Severity severity,
    String message,
    String source,
    int line,
    Manifest.ObjectRef object,
    String fix) {}
