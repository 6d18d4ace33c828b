package dev.vigil.lint.rules;

import static dev.vigil.lint.Profile.VIGIL;
import static dev.vigil.lint.Severity.ERROR;

import dev.vigil.lint.Context;
import dev.vigil.lint.KubeSchema;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.Rule;
import java.util.List;
import java.util.Map;

/** Fields the Kubernetes API does not have, which the cluster drops without a word. */
final class SchemaRules {
  private SchemaRules() {}

  static List<Rule> all() {
    return List.of(new ObjectRule("unknown-field", ERROR, VIGIL, "schema", "Objects have only the fields their kind has",
        "Every field of a built-in object (Pod, Deployment, Service, ... in each apiVersion) must"
            + " be a field of its type in the Kubernetes API, as of the schema the linter ships"
            + " (the fabric8 Kubernetes model, Kubernetes 1.34 API). A field in the wrong place —"
            + " runAsUser or requests directly on a container, replicas in a pod template — is"
            + " dropped by a lenient client or refused by strict field validation: either way the"
            + " setting the manifest states does not apply. Custom resources (kinds the schema does"
            + " not know) are not checked.",
        "Move the field to where its type has it (the message suggests where), or remove it.",
        SchemaRules::unknownFields));
  }

  private static void unknownFields(Manifest m, Context ctx) {
    KubeSchema schema = KubeSchema.builtIn();
    KubeSchema.Type type = schema.root(m.apiVersion(), m.kind());
    if (type != null) {
      object(m, ctx, schema, type, m.root(), "");
    }
  }

  private static void object(Manifest m, Context ctx, KubeSchema schema, KubeSchema.Type type, Map<?, ?> map, String path) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      KubeSchema.Spec spec = type.fields().get(key);
      String at = path.isEmpty() ? key : path + "." + key;
      if (spec == null) {
        ctx.reportKey(m, map, key, at + ": " + article(type.name()) + " " + type.name() + " has no field " + key + suggestion(schema, type, key));
        continue;
      }
      value(m, ctx, schema, spec, e.getValue(), at);
    }
  }

  private static void value(Manifest m, Context ctx, KubeSchema schema, KubeSchema.Spec spec, Object v, String path) {
    switch (spec.shape()) {
      case 'o' -> {
        if (v instanceof Map<?, ?> map) {
          object(m, ctx, schema, schema.type(spec.type()), map, path);
        }
      }
      case 'l' -> {
        if (v instanceof List<?> list) {
          for (int i = 0; i < list.size(); i++) {
            value(m, ctx, schema, spec.element(), list.get(i), path + "[" + i + "]");
          }
        }
      }
      case 'm' -> {
        if (v instanceof Map<?, ?> map) {
          for (Map.Entry<?, ?> e : map.entrySet()) {
            value(m, ctx, schema, spec.element(), e.getValue(), path + "." + e.getKey());
          }
        }
      }
      default -> {
        // a scalar, or a value of free shape
      }
    }
  }

  /** Where the field probably belongs: a field of the same name one level down, or a spelling. */
  private static String suggestion(KubeSchema schema, KubeSchema.Type type, String key) {
    for (Map.Entry<String, KubeSchema.Spec> f : type.fields().entrySet()) {
      if (f.getKey().equalsIgnoreCase(key)) {
        return " (did you mean " + f.getKey() + "?)";
      }
    }
    for (Map.Entry<String, KubeSchema.Spec> f : type.fields().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      if (f.getValue().object() && schema.type(f.getValue().type()).fields().containsKey(key)) {
        return " (it belongs under " + f.getKey() + "." + key + ")";
      }
    }
    return "";
  }

  private static String article(String name) {
    return "AEIOU".indexOf(Character.toUpperCase(name.charAt(0))) >= 0 ? "an" : "a";
  }
}
