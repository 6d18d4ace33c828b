package dev.vigil.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a rule sees: the loaded input, the settings, and where to put findings. */
public final class Context {
  private final List<Manifest> manifests;
  private final List<ConfigDoc> configs;
  private final List<PodSpec> pods = new ArrayList<>();
  private final Map<String, List<Manifest>> byKind = new HashMap<>();
  private final LintConfig config;
  private final List<Raw> findings = new ArrayList<>();
  private Rule current;
  private Severity severity;

  /** A finding with the object it belongs to, so exemptions can be applied. */
  record Raw(Finding finding, Manifest owner) {}

  Context(List<Manifest> manifests, List<ConfigDoc> configs, LintConfig config) {
    this.manifests = manifests;
    this.configs = configs;
    this.config = config;
    for (Manifest m : manifests) {
      byKind.computeIfAbsent(m.kind(), k -> new ArrayList<>()).add(m);
      PodSpec p = PodSpec.of(m);
      if (p != null) {
        pods.add(p);
      }
    }
  }

  public List<Manifest> manifests() {
    return manifests;
  }

  public List<Manifest> ofKind(String kind) {
    return byKind.getOrDefault(kind, List.of());
  }

  private final Map<String, List<Manifest>> byKindAndNamespace = new HashMap<>();

  /** Objects of a kind in one namespace ("" for objects without a namespace). */
  public List<Manifest> ofKindIn(String kind, String namespace) {
    if (byKindAndNamespace.isEmpty()) {
      for (Manifest m : manifests) {
        byKindAndNamespace
            .computeIfAbsent(m.kind() + "\u0000" + m.namespace(), k -> new ArrayList<>())
            .add(m);
      }
    }
    return byKindAndNamespace.getOrDefault(kind + "\u0000" + namespace, List.of());
  }

  public List<PodSpec> pods() {
    return pods;
  }

  public List<ConfigDoc> configs() {
    return configs;
  }

  private java.util.Set<String> alertmanagerEntries;

  /** Whether a ConfigMap data entry holds an Alertmanager configuration. */
  public boolean holdsAlertmanager(Manifest cm, String key) {
    if (alertmanagerEntries == null) {
      alertmanagerEntries = new java.util.HashSet<>();
      for (ConfigDoc c : configs) {
        if (c.owner() != null && c.type() == ConfigDoc.Type.ALERTMANAGER) {
          alertmanagerEntries.add(System.identityHashCode(c.owner()) + "\u0000" + c.owner().ref() + "\u0000" + c.key());
        }
      }
    }
    return alertmanagerEntries.contains(System.identityHashCode(cm) + "\u0000" + cm.ref() + "\u0000" + key);
  }

  private final Map<String, Object> memo = new HashMap<>();

  /** A value computed once per run and shared by rules (indexes over the input). */
  @SuppressWarnings("unchecked")
  public <T> T memo(String key, java.util.function.Supplier<T> compute) {
    return (T) memo.computeIfAbsent(key, k -> compute.get());
  }

  public LintConfig config() {
    return config;
  }

  void begin(Rule r, Severity effective) {
    current = r;
    severity = effective;
  }

  /** Reports a finding on an object, located at {@code node} (a map or list inside it). */
  public void report(Manifest m, Object node, String message) {
    findings.add(
        new Raw(
            new Finding(
                current.id(), severity, message, m.source(), m.lineOf(node), m.objectRef(), current.fix()),
            m));
  }

  /** Reports a finding on a monitoring configuration. */
  public void report(ConfigDoc c, String message) {
    findings.add(
        new Raw(
            new Finding(
                current.id(),
                severity,
                c.where() + ": " + message,
                c.source(),
                c.line(),
                c.owner() == null ? null : c.owner().objectRef(),
                current.fix()),
            c.owner()));
  }

  List<Raw> findings() {
    return findings;
  }
}
