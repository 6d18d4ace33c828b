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

  private final Map<String, String> texts;
  private final Map<String, java.nio.file.Path> files;
  private final Map<String, int[]> lineStarts = new HashMap<>();

  Context(List<Manifest> manifests, List<ConfigDoc> configs, LintConfig config) {
    this(manifests, configs, config, Map.of(), Map.of());
  }

  Context(
      List<Manifest> manifests,
      List<ConfigDoc> configs,
      LintConfig config,
      Map<String, String> texts,
      Map<String, java.nio.file.Path> files) {
    this.texts = new HashMap<>(texts);
    this.files = files;
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

  /** The data keys holding an Alertmanager configuration, by the ConfigMap that holds them. */
  private Map<Manifest, java.util.Set<String>> alertmanagerEntries;

  /** Whether a ConfigMap data entry holds an Alertmanager configuration. */
  public boolean holdsAlertmanager(Manifest cm, String key) {
    if (alertmanagerEntries == null) {
      alertmanagerEntries = new java.util.IdentityHashMap<>();
      for (ConfigDoc c : configs) {
        if (c.owner() != null && c.type() == ConfigDoc.Type.ALERTMANAGER) {
          alertmanagerEntries
              .computeIfAbsent(c.owner(), m -> new java.util.HashSet<>())
              .add(c.key());
        }
      }
    }
    java.util.Set<String> keys = alertmanagerEntries.get(cm);
    return keys != null && keys.contains(key);
  }

  private final Map<String, Object> memo = new HashMap<>();

  /** A value computed once per run and shared by rules (indexes over the input). */
  @SuppressWarnings("unchecked")
  public <T> T memo(String key, java.util.function.Supplier<T> compute) {
    // Rules ask for an index once per object: a lookup without a lambda per call, and an index
    // built from others (computed inside this method) does not modify the map under
    // computeIfAbsent.
    Object v = memo.get(key);
    if (v == null) {
      v = compute.get();
      memo.put(key, v);
    }
    return (T) v;
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
                current.id(),
                severity,
                message,
                m.source(),
                m.lineOf(node),
                m.objectRef(),
                current.fix()),
            m));
  }

  /**
   * Reports a finding on one key of a map inside an object, at the key's own line when the source
   * text is at hand (a block mapping lists its keys one per line), else at the map's line.
   */
  public void reportKey(Manifest m, Map<?, ?> map, String key, String message) {
    int line = keyLine(m.source(), map, key);
    findings.add(
        new Raw(
            new Finding(
                current.id(),
                severity,
                message,
                m.source(),
                line > 0 ? line : m.lineOf(map),
                m.objectRef(),
                current.fix()),
            m));
  }

  /**
   * The line of {@code key} in {@code map}, found in the source text below the map's first line.
   */
  int keyLine(String source, Map<?, ?> map, String key) {
    int first = Located.line(map);
    String text = texts.get(source);
    if (text == null && files.containsKey(source)) {
      try {
        text = dev.vigil.base.input.InputFiles.readText(files.get(source), Loader.MAX_INPUT_BYTES);
      } catch (dev.vigil.base.input.InputException gone) {
        text = "";
      }
      texts.put(source, text);
    }
    if (first <= 0 || text == null || text.isEmpty() || map.isEmpty()) {
      return 0;
    }
    String whole = text;
    int[] starts = lineStarts.computeIfAbsent(source, k -> starts(whole));
    if (first > starts.length) {
      return 0;
    }
    String firstKey = String.valueOf(map.keySet().iterator().next());
    String firstLine = line(text, starts, first);
    int col = keyColumn(firstLine, firstKey);
    if (col < 0) {
      return 0;
    }
    if (firstKey.equals(key)) {
      return first;
    }
    for (int l = first + 1; l <= starts.length; l++) {
      String s = line(text, starts, l);
      int indent = 0;
      while (indent < s.length() && s.charAt(indent) == ' ') {
        indent++;
      }
      if (indent >= s.length() || s.charAt(indent) == '#') {
        continue;
      }
      if (indent < col) {
        return 0;
      }
      if (indent == col && startsWithKey(s.substring(indent), key)) {
        return l;
      }
    }
    return 0;
  }

  private static int[] starts(String text) {
    List<Integer> s = new ArrayList<>();
    s.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        s.add(i + 1);
      }
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String line(String text, int[] starts, int line) {
    int from = starts[line - 1];
    int to = line < starts.length ? starts[line] - 1 : text.length();
    return text.substring(from, Math.max(from, to));
  }

  /** Column where {@code key} starts as a mapping key in {@code s} (plain or quoted), or -1. */
  private static int keyColumn(String s, String key) {
    for (String spelling : List.of(key, "\"" + key + "\"", "'" + key + "'")) {
      int i = s.indexOf(spelling + ":");
      while (i >= 0) {
        char before = i == 0 ? ' ' : s.charAt(i - 1);
        if (before == ' ' || before == '{' || before == ',' || before == '-') {
          return i;
        }
        i = s.indexOf(spelling + ":", i + 1);
      }
    }
    return -1;
  }

  private static boolean startsWithKey(String s, String key) {
    for (String spelling : List.of(key, "\"" + key + "\"", "'" + key + "'")) {
      if (s.startsWith(spelling + ":")) {
        return true;
      }
    }
    return false;
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

  /**
   * Reports a finding at a map or list inside a configuration: its own line in a plain file, and in
   * a ConfigMap entry written as a block scalar ({@code key: |}) line {@code inEntry} of the
   * entry's text (1-based; 0 when not known). Otherwise the entry's line.
   */
  public void report(ConfigDoc c, Object node, int inEntry, String message) {
    int line = c.line();
    if (c.owner() == null) {
      int own = Located.line(node);
      line = own > 0 ? own : line;
    } else if (inEntry > 0) {
      Map<String, Object> data = YamlValues.map(c.owner().root(), "data");
      int key = keyLine(c.source(), data, c.key());
      if (key > 0 && blockScalar(lineText(c.source(), key))) {
        line = key + inEntry;
      }
    }
    findings.add(
        new Raw(
            new Finding(
                current.id(),
                severity,
                c.where() + ": " + message,
                c.source(),
                line,
                c.owner() == null ? null : c.owner().objectRef(),
                current.fix()),
            c.owner()));
  }

  /** Whether a line ends with a block scalar indicator: {@code key: |}, {@code |-}, {@code |2+}. */
  private static boolean blockScalar(String line) {
    if (line == null) {
      return false;
    }
    String s = line.strip();
    int hash = s.indexOf(" #");
    if (hash > 0) {
      s = s.substring(0, hash).strip();
    }
    int bar = s.lastIndexOf('|');
    return bar > 0
        && s.substring(bar + 1).matches("[-+]?[1-9]?[-+]?")
        && s.substring(0, bar).strip().endsWith(":");
  }

  /** The text of a 1-based line of a source, once {@link #keyLine} has loaded it, or null. */
  private String lineText(String source, int line) {
    String text = texts.get(source);
    int[] starts = lineStarts.get(source);
    return text == null || starts == null || line < 1 || line > starts.length
        ? null
        : line(text, starts, line);
  }

  List<Raw> findings() {
    return findings;
  }
}
