package dev.vigil.lint;

import java.util.Map;

/**
 * A monitoring component's configuration, found in a ConfigMap entry or a plain file.
 *
 * @param type which component it configures
 * @param text the raw text
 * @param parsed the YAML as maps and lists, or null for INI and Alloy text and for a rule file that
 *     is not YAML
 * @param owner the ConfigMap that holds it, or null for a plain file
 * @param key the ConfigMap data key or the file name
 * @param source the file it was read from
 * @param line the 1-based line where the entry starts
 */
public record ConfigDoc(
    Type type,
    String text,
    Map<String, Object> parsed,
    Manifest owner,
    String key,
    String source,
    int line) {

  /** Configuration formats the monitoring rules understand. */
  public enum Type {
    PROMETHEUS,
    ALERTMANAGER,
    LOKI,
    GRAFANA_INI,
    ALLOY,
    PROMTAIL,
    /** A Prometheus rule file (also Loki's and Thanos' rule files, which share its format). */
    PROMETHEUS_RULES
  }

  /** Where to point a reader: the ConfigMap entry or the file. */
  public String where() {
    return owner == null ? key : owner.ref() + " data." + key;
  }
}
