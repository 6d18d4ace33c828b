package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.spec.bind.JsonSchema;
import dev.vigil.spec.model.Station;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The field reference of docs/spec.md, generated from the same model the loader binds, so the
 * documentation cannot drift from what is accepted.
 */
public final class SpecReference {
  public static final String BEGIN =
      "<!-- BEGIN GENERATED REFERENCE (vigil schema -o markdown) -->";
  public static final String END = "<!-- END GENERATED REFERENCE -->";

  private SpecReference() {}

  public static String markdown() {
    ObjectNode schema = JsonSchema.tree(Station.class, "station", "Station");
    JsonNode defs = schema.path("$defs");
    StringBuilder md = new StringBuilder(BEGIN).append("\n\n");
    Set<String> done = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    section(md, "Station (root)", schema, queue);
    while (!queue.isEmpty()) {
      String name = queue.poll();
      if (!done.add(name)) {
        continue;
      }
      JsonNode def = defs.path(name);
      if (def.path("type").asText().equals("object") && def.has("properties")) {
        section(md, name, def, queue);
      } else {
        md.append("### ")
            .append(name)
            .append("\n\n")
            .append(def.path("description").asText(""))
            .append(def.has("pattern") ? " Pattern: `" + def.path("pattern").asText() + "`." : "")
            .append("\n\n");
      }
    }
    return md.append(END).append('\n').toString();
  }

  private static void section(StringBuilder md, String title, JsonNode node, Deque<String> queue) {
    md.append("### ").append(title).append("\n\n");
    if (node.has("description")) {
      md.append(node.path("description").asText()).append("\n\n");
    }
    md.append("| field | type | default | description |\n|---|---|---|---|\n");
    Set<String> required = new LinkedHashSet<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    Iterator<Map.Entry<String, JsonNode>> fields = node.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode p = f.getValue();
      String def =
          p.has("default")
              ? "`" + p.path("default").asText() + "`"
              : (required.contains(f.getKey()) ? "required" : "");
      md.append("| `")
          .append(f.getKey())
          .append("` | ")
          .append(type(p, queue))
          .append(" | ")
          .append(def)
          .append(" | ")
          .append(p.path("description").asText("").replace("|", "\\|"))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static String type(JsonNode p, Deque<String> queue) {
    if (p.has("$ref")) {
      String name = p.path("$ref").asText().substring("#/$defs/".length());
      queue.add(name);
      return "[" + name + "](#" + name.toLowerCase() + ")";
    }
    if (p.has("enum")) {
      StringBuilder sb = new StringBuilder();
      p.path("enum")
          .forEach(
              e ->
                  sb.append(sb.length() == 0 ? "" : " \\| ")
                      .append('`')
                      .append(e.asText())
                      .append('`'));
      return sb.toString();
    }
    String type = p.path("type").asText("any");
    if (type.equals("array")) {
      return "list of " + type(p.path("items"), queue);
    }
    if (type.equals("object")
        && p.has("additionalProperties")
        && p.path("additionalProperties").isObject()) {
      return "map of " + type(p.path("additionalProperties"), queue);
    }
    if (p.has("pattern") && type.equals("string")) {
      return "string (`" + p.path("pattern").asText().replace("|", "\\|") + "`)";
    }
    return type;
  }
}
