package dev.vigil.lint;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code kubernetes-schema.txt.gz} from the fabric8 Kubernetes model on the test classpath:
 * every resource class of a built-in API group, and every object type reachable from it, with the
 * JSON names Jackson binds. Run it after changing the fabric8 version: {@code KubeSchemaExtract
 * vigil-lint/src/main/resources/dev/vigil/lint/kubernetes-schema.txt.gz}.
 */
public final class KubeSchemaExtract {
  private KubeSchemaExtract() {}

  static final String FABRIC8_VERSION = "7.9.0";

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Class<?>, Integer> index = new LinkedHashMap<>();
  private final List<String> typeLines = new ArrayList<>();

  /** Built-in groups: the core group, the unsuffixed ones, and *.k8s.io except metrics. */
  static boolean builtIn(String group) {
    return group.isEmpty()
        || List.of("apps", "batch", "autoscaling", "policy", "extensions").contains(group)
        || group.endsWith(".k8s.io")
            && !group.startsWith("metrics.")
            && !group.contains("x-k8s.io");
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
      o.write(text().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The schema text, deterministic for a given model. */
  static String text() throws IOException, ClassNotFoundException {
    return new KubeSchemaExtract().extract();
  }

  private String extract() throws IOException, ClassNotFoundException {
    TreeSet<String> names = new TreeSet<>();
    Enumeration<URL> services =
        getClass()
            .getClassLoader()
            .getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
    while (services.hasMoreElements()) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(services.nextElement().openStream(), StandardCharsets.UTF_8))) {
        r.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .forEach(names::add);
      }
    }
    Map<String, Integer> roots = new TreeMap<>();
    for (String name : names) {
      Class<?> c = Class.forName(name);
      var group = c.getAnnotation(io.fabric8.kubernetes.model.annotation.Group.class);
      var version = c.getAnnotation(io.fabric8.kubernetes.model.annotation.Version.class);
      if (group == null
          || version == null
          || !builtIn(group.value())
          || Modifier.isAbstract(c.getModifiers())
          || !io.fabric8.kubernetes.api.model.HasMetadata.class.isAssignableFrom(c)) {
        continue;
      }
      var kindAnnotation = c.getAnnotation(io.fabric8.kubernetes.model.annotation.Kind.class);
      String kind = kindAnnotation != null ? kindAnnotation.value() : c.getSimpleName();
      String apiVersion =
          group.value().isEmpty() ? version.value() : group.value() + "/" + version.value();
      roots.put(apiVersion + " " + kind, typeOf(c));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# fabric8 kubernetes-model ")
        .append(FABRIC8_VERSION)
        .append(", built-in API groups\n");
    roots.forEach((k, v) -> sb.append("K ").append(k).append(' ').append(v).append('\n'));
    typeLines.forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  private int typeOf(Class<?> c) {
    Integer known = index.get(c);
    if (known != null) {
      return known;
    }
    int i = index.size();
    index.put(c, i);
    typeLines.add(null);
    JavaType t = mapper.constructType(c);
    BeanDescription d = mapper.getDeserializationConfig().introspect(t);
    TreeMap<String, String> fields = new TreeMap<>();
    for (BeanPropertyDefinition p : d.findProperties()) {
      if (!p.hasSetter() && !p.hasField()) {
        continue;
      }
      fields.put(p.getName(), spec(p.getPrimaryType()));
    }
    StringBuilder line = new StringBuilder("T ").append(i).append(' ').append(c.getSimpleName());
    fields.forEach((k, v) -> line.append(' ').append(k).append(':').append(v));
    typeLines.set(i, line.toString());
    return i;
  }

  private String spec(JavaType t) {
    if (t.isArrayType() || t.isCollectionLikeType()) {
      return "l" + spec(t.getContentType());
    }
    if (t.isMapLikeType()) {
      return "m" + spec(t.getContentType());
    }
    Class<?> c = t.getRawClass();
    if (c.isPrimitive()
        || c.isEnum()
        || c == String.class
        || Number.class.isAssignableFrom(c)
        || c == Boolean.class
        || c == Character.class) {
      return "s";
    }
    if (c == Object.class
        || JsonNode.class.isAssignableFrom(c)
        || c.isInterface()
        || Modifier.isAbstract(c.getModifiers())
        || !c.getName().startsWith("io.fabric8.")) {
      return "*";
    }
    JsonDeserialize custom = c.getAnnotation(JsonDeserialize.class);
    if (custom != null && custom.using() != JsonDeserializer.None.class) {
      return "*"; // bound by hand (IntOrString, Quantity, JSON): its shape is not a plain object
    }
    return String.valueOf(typeOf(c));
  }
}
