package dev.vigil.spec.bind;

import dev.vigil.base.DurationText;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Markdown reference of a spec model, generated from the same annotations the binder and the JSON
 * Schema use, so the field reference in the docs cannot drift from the code: one section per record
 * type (in the order they are reached from the root) with where it is used and a table of its
 * fields (type, default or "required", description), then a table of the value types (custom
 * scalars and durations) with their formats. The output is deterministic.
 */
public final class ModelDoc {
  private final Map<Class<?>, List<String>> records = new LinkedHashMap<>();
  private final Map<Class<?>, String> scalars = new LinkedHashMap<>();

  private ModelDoc() {}

  /** The reference, starting with a level-{@code level} heading per type (2 gives "## Node"). */
  public static String markdown(Class<?> root, int level) {
    ModelDoc d = new ModelDoc();
    d.collect(root, "");
    StringBuilder sb = new StringBuilder();
    String h = "#".repeat(level);
    for (Map.Entry<Class<?>, List<String>> e : d.records.entrySet()) {
      Class<?> type = e.getKey();
      sb.append(h).append(' ').append(name(type)).append("\n\n");
      doc(type).ifPresent(text -> sb.append(text).append("\n\n"));
      List<String> paths = e.getValue();
      if (!(paths.size() == 1 && paths.get(0).isEmpty())) {
        sb.append("Used at: ");
        sb.append(String.join(", ", paths.stream().map(p -> "`" + p + "`").toList()));
        sb.append("\n\n");
      }
      sb.append("| Field | Type | Default | Description |\n");
      sb.append("|---|---|---|---|\n");
      for (RecordComponent c : type.getRecordComponents()) {
        sb.append("| `")
            .append(c.getName())
            .append("` | ")
            .append(typeName(c.getGenericType()))
            .append(" | ")
            .append(defaultText(c))
            .append(" | ")
            .append(
                cell(Optional.ofNullable(c.getAnnotation(Doc.class)).map(Doc::value).orElse("")))
            .append(" |\n");
      }
      sb.append('\n');
    }
    if (!d.scalars.isEmpty()) {
      sb.append(h).append(" Value types\n\n");
      sb.append("| Type | Format | Pattern |\n");
      sb.append("|---|---|---|\n");
      for (Map.Entry<Class<?>, String> e : d.scalars.entrySet()) {
        sb.append("| ")
            .append(e.getValue())
            .append(" | ")
            .append(cell(format(e.getKey())))
            .append(" | ")
            .append(pattern(e.getKey()).map(p -> "`" + cell(p) + "`").orElse(""))
            .append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private void collect(Type type, String path) {
    switch (FieldType.of(type)) {
      case LIST -> collect(FieldType.elementType(type), path + "[]");
      case MAP -> collect(FieldType.elementType(type), Paths.join(path, "*"));
      case DURATION -> scalars.putIfAbsent(java.time.Duration.class, "duration");
      case CUSTOM_SCALAR -> scalars.putIfAbsent((Class<?>) type, name((Class<?>) type));
      case RECORD -> {
        Class<?> record = (Class<?>) type;
        boolean first = !records.containsKey(record);
        List<String> paths = records.computeIfAbsent(record, k -> new ArrayList<>());
        if (paths.size() < 5) {
          paths.add(path);
        }
        if (first) {
          for (RecordComponent c : record.getRecordComponents()) {
            collect(c.getGenericType(), Paths.join(path, c.getName()));
          }
        }
      }
      default -> {}
    }
  }

  private static String typeName(Type type) {
    switch (FieldType.of(type)) {
      case STRING:
        return "string";
      case BOOLEAN:
        return "boolean";
      case INT:
      case LONG:
        return "integer";
      case DOUBLE:
        return "number";
      case DURATION:
        return "[duration](#value-types)";
      case ENUM:
        {
          List<String> names = new ArrayList<>();
          for (Object c : ((Class<?>) type).getEnumConstants()) {
            names.add("`" + FieldType.yamlName((Enum<?>) c) + "`");
          }
          return String.join(" \\| ", names);
        }
      case CUSTOM_SCALAR:
        return "[" + name((Class<?>) type) + "](#value-types)";
      case RECORD:
        {
          String n = name((Class<?>) type);
          return "[" + n + "](#" + anchor(n) + ")";
        }
      case LIST:
        return "list of " + typeName(FieldType.elementType(type));
      case MAP:
        return "map of name to " + typeName(FieldType.elementType(type));
      default:
        throw new IllegalStateException("unhandled " + type);
    }
  }

  private static String defaultText(RecordComponent c) {
    if (c.isAnnotationPresent(Required.class)) {
      return "**required**";
    }
    Default d = c.getAnnotation(Default.class);
    if (d != null) {
      return "`" + cell(d.value()) + "`";
    }
    return "";
  }

  private static String format(Class<?> type) {
    if (type == java.time.Duration.class) {
      return "Prometheus duration: units y, w, d, h, m, s, ms, largest first (30s, 5m, 1h30m, 7d)";
    }
    return doc(type).orElse("");
  }

  private static Optional<String> pattern(Class<?> type) {
    if (type == java.time.Duration.class) {
      return Optional.of(DurationText.SCHEMA_PATTERN);
    }
    try {
      Object p = type.getField("SCHEMA_PATTERN").get(null);
      return Optional.ofNullable((String) p);
    } catch (ReflectiveOperationException | ClassCastException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> doc(Class<?> type) {
    return Optional.ofNullable(type.getAnnotation(Doc.class)).map(Doc::value);
  }

  /** The simple name (nested types keep their outer name: {@code SecretRef.SecretKey}). */
  static String name(Class<?> type) {
    String n = type.getName();
    return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
