package dev.vigil.lint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The fields every built-in Kubernetes object kind has, by apiVersion and kind: the shape of each
 * object type (its field names, and for each field an object type, a list or map of something, or a
 * scalar), read once from {@code kubernetes-schema.txt.gz}, which is extracted from the fabric8
 * Kubernetes model. Kinds that are not built in (custom resources) are not known.
 *
 * <p>Format, one line each: {@code K apiVersion kind type} for a root, and {@code T type Name
 * field:spec ...} for an object type, where a spec is {@code s} (scalar), {@code *} (anything),
 * {@code l}spec (list), {@code m}spec (map with free keys) or a type number.
 */
public final class KubeSchema {
  public static final String RESOURCE = "kubernetes-schema.txt.gz";

  /** What a field holds. */
  public record Spec(char shape, Spec element, int type) {
    static final Spec SCALAR = new Spec('s', null, -1);
    static final Spec ANY = new Spec('*', null, -1);

    public boolean object() {
      return shape == 'o';
    }
  }

  /** An object type: its name in messages and its fields. */
  public record Type(String name, Map<String, Spec> fields) {}

  private final List<Type> types;
  private final Map<String, Integer> roots;

  /** apiVersion → kind → type: looked up per object without building a key string. */
  private final Map<String, Map<String, Type>> byVersion = new HashMap<>();

  private final String source;

  private KubeSchema(List<Type> types, Map<String, Integer> roots, String source) {
    this.types = types;
    this.roots = roots;
    this.source = source;
    roots.forEach(
        (k, t) -> {
          int space = k.indexOf(' ');
          byVersion
              .computeIfAbsent(k.substring(0, space), v -> new HashMap<>())
              .put(k.substring(space + 1), types.get(t));
        });
  }

  private static final class Holder {
    static final KubeSchema BUILT_IN = load();
  }

  /** The schema shipped with the linter. */
  public static KubeSchema builtIn() {
    return Holder.BUILT_IN;
  }

  /** Where the schema came from (its header line). */
  public String source() {
    return source;
  }

  /** The type of an object of this apiVersion and kind, or null when it is not built in. */
  public Type root(String apiVersion, String kind) {
    Map<String, Type> kinds = byVersion.get(apiVersion);
    return kinds == null ? null : kinds.get(kind);
  }

  public Type type(int index) {
    return types.get(index);
  }

  public int roots() {
    return roots.size();
  }

  private static KubeSchema load() {
    try (InputStream in = KubeSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KubeSchema parse(BufferedReader r) throws IOException {
    List<Type> types = new ArrayList<>();
    Map<String, Integer> roots = new HashMap<>();
    String source = "";
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("# ")) {
        source = source.isEmpty() ? line.substring(2) : source;
        continue;
      }
      String[] p = line.split(" ");
      if (p[0].equals("K")) {
        roots.put(p[1] + " " + p[2], Integer.parseInt(p[3]));
      } else if (p[0].equals("T")) {
        int index = Integer.parseInt(p[1]);
        Map<String, Spec> fields = new HashMap<>(p.length * 2);
        for (int i = 3; i < p.length; i++) {
          int colon = p[i].lastIndexOf(':');
          fields.put(p[i].substring(0, colon), spec(p[i], colon + 1));
        }
        while (types.size() <= index) {
          types.add(null);
        }
        types.set(index, new Type(p[2], fields));
      }
    }
    return new KubeSchema(types, roots, source);
  }

  private static Spec spec(String s, int at) {
    char c = s.charAt(at);
    return switch (c) {
      case 's' -> Spec.SCALAR;
      case '*' -> Spec.ANY;
      case 'l', 'm' -> new Spec(c, spec(s, at + 1), -1);
      default -> new Spec('o', null, Integer.parseInt(s.substring(at)));
    };
  }
}
