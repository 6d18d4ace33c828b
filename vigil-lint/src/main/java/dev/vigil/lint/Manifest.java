package dev.vigil.lint;

import java.util.List;
import java.util.Map;

/**
 * One Kubernetes object as read from its source.
 *
 * @param source the file it came from, as the user named it ({@code -} for stdin)
 * @param line the 1-based line the object starts on
 * @param root the object as plain maps and lists
 * @param lines 1-based start line of every map and list inside {@code root}, by identity
 */
public record Manifest(String source, int line, Map<String, Object> root, Map<Object, Integer> lines) {

  public String kind() {
    String k = Y.str(root, "kind");
    return k == null ? "" : k;
  }

  public String apiVersion() {
    String v = Y.str(root, "apiVersion");
    return v == null ? "" : v;
  }

  public Map<String, Object> metadata() {
    return Y.map(root, "metadata");
  }

  public String name() {
    String n = Y.str(metadata(), "name");
    if (n == null) {
      n = Y.str(metadata(), "generateName");
    }
    return n == null ? "" : n;
  }

  public String namespace() {
    String n = Y.str(metadata(), "namespace");
    return n == null ? "" : n;
  }

  public Map<String, Object> labels() {
    return Y.map(metadata(), "labels");
  }

  public Map<String, Object> annotations() {
    return Y.map(metadata(), "annotations");
  }

  /** {@code Kind namespace/name}, the object's name in reports. */
  public String ref() {
    return kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
  }

  /** Line of a map or list inside this object, or the object's own line. */
  public int lineOf(Object node) {
    if (node != null) {
      Integer l = lines.get(node);
      if (l != null) {
        return l;
      }
    }
    return line;
  }

  public ObjectRef objectRef() {
    return new ObjectRef(kind(), namespace(), name());
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
