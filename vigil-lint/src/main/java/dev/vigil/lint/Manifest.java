package dev.vigil.lint;

import java.util.List;
import java.util.Map;

/**
 * One Kubernetes object as read from its source. Identity, labels and annotations are extracted
 * once here because every rule asks for them.
 */
public final class Manifest {
  private final String source;
  private final int line;
  private final Map<String, Object> root;
  private final String kind;
  private final String apiVersion;
  private final Map<String, Object> metadata;
  private final String name;
  private final String namespace;
  private final Map<String, Object> labels;
  private final Map<String, Object> annotations;
  private final ObjectRef ref;

  /**
   * @param source the file it came from, as the user named it ({@code -} for stdin)
   * @param line the 1-based line the object starts on
   * @param root the object as plain maps and lists
   */
  public Manifest(String source, int line, Map<String, Object> root) {
    this.source = source;
    this.line = line;
    this.root = root;
    this.kind = orEmpty(YamlValues.str(root, "kind"));
    this.apiVersion = orEmpty(YamlValues.str(root, "apiVersion"));
    this.metadata = YamlValues.map(root, "metadata");
    String n = YamlValues.str(metadata, "name");
    this.name = orEmpty(n != null ? n : YamlValues.str(metadata, "generateName"));
    this.namespace = orEmpty(YamlValues.str(metadata, "namespace"));
    this.labels = YamlValues.map(metadata, "labels");
    this.annotations = YamlValues.map(metadata, "annotations");
    this.ref = new ObjectRef(kind, namespace, name);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public Map<String, Object> root() {
    return root;
  }

  public String kind() {
    return kind;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  public Map<String, Object> labels() {
    return labels;
  }

  public Map<String, Object> annotations() {
    return annotations;
  }

  /** {@code Kind namespace/name}, the object's name in reports. */
  public String ref() {
    return ref.toString();
  }

  public ObjectRef objectRef() {
    return ref;
  }

  /** Line of a map or list inside this object, or the object's own line. */
  public int lineOf(Object node) {
    int l = Located.line(node);
    return l > 0 ? l : line;
  }

  @Override
  public String toString() {
    return source + ":" + line + " " + ref;
  }

  /** The identity of an object in a report. */
  public record ObjectRef(String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  static List<String> split(String csv) {
    return csv == null
        ? List.of()
        : java.util.Arrays.stream(csv.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
  }
}
