package dev.vigil.lint;

import java.util.Map;

/**
 * A monitoring component's configuration, found in a ConfigMap entry or a plain file.
 *
 * @param type which component it configures
 * @param text the raw text
 * @param parsed the YAML as maps and lists, or null for INI and Alloy text
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
    PROMTAIL
  }

  /** Where to point a reader: the ConfigMap entry or the file. */
  public String where() {
    return owner == null ? key : owner.ref() + " data." + key;
  }
}
