package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * JSON helpers for dashboard models. Objects keep insertion order and are built only from ordered
 * nodes (never from {@code Map.of}, whose iteration order changes between JVM runs), so the same
 * dashboard always prints to the same bytes.
 */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER;

  static {
    // Fixed "\n" line ends, `"key": value` spacing and `[]`/`{}` regardless of the platform.
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(indenter)
            .withArrayIndenter(indenter)
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    WRITER = MAPPER.writer(printer);
  }

  private Json() {}

  /** An ordered object from alternating keys and values (String, Number, Boolean, JsonNode). */
  public static ObjectNode obj(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("obj() needs key/value pairs, got an odd count");
    }
    ObjectNode o = NODES.objectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!(keysAndValues[i] instanceof String key)) {
        throw new IllegalArgumentException("obj() key at " + i + " is not a string");
      }
      o.set(key, node(keysAndValues[i + 1]));
    }
    return o;
  }

  public static ArrayNode arr(Object... values) {
    ArrayNode a = NODES.arrayNode();
    for (Object v : values) {
      a.add(node(v));
    }
    return a;
  }

  /** Converts a plain value to a node; integral doubles print without a trailing ".0". */
  public static JsonNode node(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode n) {
      return n;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Double d) {
      return number(d);
    }
    throw new IllegalArgumentException("unsupported JSON value type " + value.getClass().getName());
  }

  static JsonNode number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON cannot hold " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return NODES.numberNode((long) d);
    }
    return NODES.numberNode(d);
  }

  /** Pretty-prints with two-space indent and a final newline. */
  public static String print(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
