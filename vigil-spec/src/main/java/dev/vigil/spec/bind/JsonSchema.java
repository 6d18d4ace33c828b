package dev.vigil.spec.bind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.base.DurationText;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The JSON Schema (draft 2020-12) of a spec model, for editors (e.g. the YAML language server's
 * {@code # yaml-language-server: $schema=...}). It states what the binder enforces: every record is
 * an object with {@code additionalProperties: false}, its {@link Doc} as description, {@link
 * Default} values typed as they bind (numbers, booleans, strings), {@link Required} keys in {@code
 * required}; enums as their YAML spellings; lists as arrays; maps as objects with typed {@code
 * additionalProperties}; durations and custom scalars as strings with a {@code pattern} where the
 * type declares {@code public static final String SCHEMA_PATTERN}. Record and custom scalar types
 * are defined once in {@code $defs} and referenced. The output is deterministic.
 *
 * <p>{@link #generateOverlay} gives the schema of an environment overlay: nothing required, and
 * {@code null} allowed everywhere (it deletes the key from the base).
 *
 * <p>The schema cannot express everything: semantic rules ({@link Validated}) and the exact syntax
 * of custom scalars without a pattern are checked only by the binder.
 */
public final class JsonSchema {
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Class<?> root;
  private final boolean overlay;
  private final Map<Class<?>, String> names = new HashMap<>();
  private final Map<String, ObjectNode> defs = new TreeMap<>();

  private JsonSchema(Class<?> root, boolean overlay) {
    this.root = root;
    this.overlay = overlay;
  }

  /** The schema as pretty-printed JSON with a trailing newline. */
  public static String generate(Class<?> root, String id, String title) {
    return write(tree(root, id, title, false));
  }

  /**
   * The schema of an overlay (an environment file merged over the base): the same fields and types,
   * but nothing is required and any field may be null, which deletes it from the base.
   */
  public static String generateOverlay(Class<?> root, String id, String title) {
    return write(tree(root, id, title, true));
  }

  private static String write(ObjectNode tree) {
    try {
      return writer().writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write schema", e);
    }
  }

  /** The schema as a Jackson tree. */
  public static ObjectNode tree(Class<?> root, String id, String title) {
    return tree(root, id, title, false);
  }

  private static ObjectNode tree(Class<?> root, String id, String title, boolean overlay) {
    if (!root.isRecord()) {
      throw new IllegalStateException("root type must be a record: " + root.getName());
    }
    JsonSchema g = new JsonSchema(root, overlay);
    ObjectNode schema = JSON.objectNode();
    schema.put("$schema", DIALECT);
    schema.put("$id", id);
    schema.put("title", title);
    schema.setAll(g.recordSchema(root));
    if (!g.defs.isEmpty()) {
      ObjectNode d = schema.putObject("$defs");
      g.defs.forEach(d::set);
    }
    return schema;
  }

  private static com.fasterxml.jackson.databind.ObjectWriter writer() {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return new ObjectMapper().writer(printer);
  }

  private ObjectNode recordSchema(Class<?> type) {
    ObjectNode s = JSON.objectNode();
    doc(type).ifPresent(d -> s.put("description", d));
    s.put("type", "object");
    ObjectNode properties = s.putObject("properties");
    ArrayNode required = JSON.arrayNode();
    for (RecordComponent c : type.getRecordComponents()) {
      properties.set(c.getName(), property(type, c));
      if (c.isAnnotationPresent(Required.class) && !overlay) {
        required.add(c.getName());
      }
    }
    if (!required.isEmpty()) {
      s.set("required", required);
    }
    s.put("additionalProperties", false);
    return s;
  }

  private ObjectNode property(Class<?> owner, RecordComponent c) {
    ObjectNode p = JSON.objectNode();
    Doc doc = c.getAnnotation(Doc.class);
    if (doc != null) {
      p.put("description", doc.value());
    }
    if (overlay) {
      p.putArray("anyOf").add(schemaOf(c.getGenericType())).addObject().put("type", "null");
    } else {
      p.setAll(schemaOf(c.getGenericType()));
    }
    Default d = c.getAnnotation(Default.class);
    if (d != null) {
      p.set("default", defaultJson(owner, c, d.value()));
    }
    return p;
  }

  private ObjectNode schemaOf(Type type) {
    ObjectNode s = JSON.objectNode();
    switch (FieldType.of(type)) {
      case STRING:
        s.put("type", "string");
        break;
      case BOOLEAN:
        s.put("type", "boolean");
        break;
      case INT:
      case LONG:
        s.put("type", "integer");
        break;
      case DOUBLE:
        s.put("type", "number");
        break;
      case DURATION:
        s.put("type", "string");
        s.put("minLength", 2);
        s.put("pattern", DurationText.SCHEMA_PATTERN);
        break;
      case ENUM:
        {
          s.put("type", "string");
          ArrayNode values = s.putArray("enum");
          for (Object c : ((Class<?>) type).getEnumConstants()) {
            values.add(FieldType.yamlName((Enum<?>) c));
          }
          break;
        }
      case CUSTOM_SCALAR:
        s.put("$ref", ref((Class<?>) type, true));
        break;
      case RECORD:
        s.put("$ref", ref((Class<?>) type, false));
        break;
      case LIST:
        s.put("type", "array");
        s.set("items", schemaOf(FieldType.elementType(type)));
        break;
      case MAP:
        s.put("type", "object");
        s.set("additionalProperties", schemaOf(FieldType.elementType(type)));
        break;
      default:
        throw new IllegalStateException("unhandled " + type);
    }
    return s;
  }

  private String ref(Class<?> type, boolean scalar) {
    if (type == root) {
      return "#";
    }
    String existing = names.get(type);
    if (existing != null) {
      return "#/$defs/" + existing;
    }
    String name = type.getName().substring(type.getName().lastIndexOf('.') + 1).replace('$', '.');
    if (names.containsValue(name)) {
      name = type.getName().replace('$', '.');
    }
    names.put(type, name);
    // Reserve the name before recursing so self-references resolve.
    defs.put(name, JSON.objectNode());
    defs.put(name, scalar ? customScalarSchema(type) : recordSchema(type));
    return "#/$defs/" + name;
  }

  private static ObjectNode customScalarSchema(Class<?> type) {
    ObjectNode s = JSON.objectNode();
    doc(type).ifPresent(d -> s.put("description", d));
    s.put("type", "string");
    schemaPattern(type).ifPresent(p -> s.put("pattern", p));
    return s;
  }

  private static Optional<String> doc(Class<?> type) {
    Doc d = type.getAnnotation(Doc.class);
    return Optional.ofNullable(d).map(Doc::value);
  }

  private static Optional<String> schemaPattern(Class<?> type) {
    try {
      Field f = type.getField("SCHEMA_PATTERN");
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        return Optional.ofNullable((String) f.get(null));
      }
    } catch (NoSuchFieldException e) {
      // No pattern declared: the binder alone checks the syntax.
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + type.getName() + ".SCHEMA_PATTERN", e);
    }
    return Optional.empty();
  }

  private static JsonNode defaultJson(Class<?> owner, RecordComponent c, String literal) {
    List<Problem> problems = new ArrayList<>();
    Optional<Node> node = YamlTree.parse(new Source("@Default", literal), problems);
    if (!problems.isEmpty() || node.isEmpty()) {
      throw new IllegalStateException(
          "invalid @Default(\"" + literal + "\") of " + owner.getSimpleName() + "." + c.getName());
    }
    return toJson(c.getGenericType(), node.get());
  }

  /** A YAML value as JSON, typed as the binder would read it for {@code type}. */
  private static JsonNode toJson(Type type, Node node) {
    FieldType kind = FieldType.of(type);
    if (node instanceof ScalarNode s) {
      String t = s.getValue();
      switch (kind) {
        case BOOLEAN:
          return JSON.booleanNode(Boolean.parseBoolean(t.toLowerCase(java.util.Locale.ROOT)));
        case INT:
        case LONG:
          return JSON.numberNode(Binder.parseCoreInt(t));
        case DOUBLE:
          return JSON.numberNode(new java.math.BigDecimal(t));
        default:
          return JSON.textNode(t);
      }
    }
    if (node instanceof SequenceNode seq && kind == FieldType.LIST) {
      ArrayNode a = JSON.arrayNode();
      seq.getValue().forEach(item -> a.add(toJson(FieldType.elementType(type), item)));
      return a;
    }
    if (node instanceof MappingNode m) {
      ObjectNode o = JSON.objectNode();
      for (NodeTuple t : m.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        Type valueType = valueType(type, kind, key);
        o.set(key, toJson(valueType, t.getValueNode()));
      }
      return o;
    }
    throw new IllegalStateException("default does not match type " + type.getTypeName());
  }

  private static Type valueType(Type type, FieldType kind, String key) {
    if (kind == FieldType.MAP) {
      return FieldType.elementType(type);
    }
    if (kind == FieldType.RECORD) {
      for (RecordComponent c : ((Class<?>) type).getRecordComponents()) {
        if (c.getName().equals(key)) {
          return c.getGenericType();
        }
      }
    }
    throw new IllegalStateException("default does not match type " + type.getTypeName());
  }
}
