package dev.vigil.spec.bind;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each field of a bound spec was written, by path ({@code components.prometheus.replicas},
 * {@code nodes[2].name}, {@code labels["app.kubernetes.io/name"]}; the empty path is the document).
 * A scalar field is located at its value, a mapping or sequence field at its key, a sequence item
 * at its first character.
 *
 * <p>Callers that check rules across the whole spec use {@link #problemAt} so their errors are
 * located like the binder's own. A path that was not written (a defaulted or absent field) falls
 * back to its nearest written ancestor.
 */
public final class Locations {
  private final Map<String, Position> positions = new HashMap<>();
  private final Position document;
  private final List<String> files;

  Locations(Position document, List<String> files) {
    this.document = Objects.requireNonNull(document);
    this.files = List.copyOf(files);
    positions.put("", document);
  }

  /** The names of the sources, base first, in the order problems are sorted by. */
  public List<String> files() {
    return files;
  }

  void put(String path, Position position) {
    positions.putIfAbsent(path, position);
  }

  void putAll(Locations other) {
    other.positions.forEach(this::put);
  }

  /** True if the path was written in a source (not merely defaulted). */
  public boolean isWritten(String path) {
    return positions.containsKey(path);
  }

  /** The position of the path, or of its nearest written ancestor. */
  public Position positionOf(String path) {
    String p = path;
    while (true) {
      Position found = positions.get(p);
      if (found != null) {
        return found;
      }
      if (p.isEmpty()) {
        return document;
      }
      p = Paths.parent(p);
    }
  }

  /** A problem located at the path (or its nearest written ancestor). */
  public Problem problemAt(String path, String message) {
    return Problem.at(positionOf(path), path, message);
  }

  /** All written paths and their positions. */
  public Map<String, Position> asMap() {
    return Collections.unmodifiableMap(positions);
  }
}
