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
      new Walk(m, ctx, schema).object(type, m.root());
    }
  }

  /**
   * One object's walk. The path to the current node is kept as a stack of keys and indexes and
   * spelled out only for a finding: most objects have none, and building a path string for every
   * key was most of the rule's cost.
   */
  private static final class Walk {
    private final Manifest m;
    private final Context ctx;
    private final KubeSchema schema;
    private final Object[] path = new Object[256];
    private int depth;

    Walk(Manifest m, Context ctx, KubeSchema schema) {
      this.m = m;
      this.ctx = ctx;
      this.schema = schema;
    }

    void object(KubeSchema.Type type, Map<?, ?> map) {
      map.forEach((key, v) -> {
        KubeSchema.Spec spec = type.fields().get(key);
        if (spec == null) {
          String k = String.valueOf(key);
          ctx.reportKey(m, map, k, path(k) + ": " + article(type.name()) + " " + type.name() + " has no field " + k
              + suggestion(schema, type, k));
        } else if (spec.shape() != 's' && spec.shape() != '*') {
          push(key);
          value(spec, v);
          depth--;
        }
      });
    }

    private void value(KubeSchema.Spec spec, Object v) {
      switch (spec.shape()) {
        case 'o' -> {
          if (v instanceof Map<?, ?> map) {
            object(schema.type(spec.type()), map);
          }
        }
        case 'l' -> {
          if (v instanceof List<?> list && spec.element().shape() != 's' && spec.element().shape() != '*') {
            for (int i = 0; i < list.size(); i++) {
              push(i);
              value(spec.element(), list.get(i));
              depth--;
            }
          }
        }
        case 'm' -> {
          if (v instanceof Map<?, ?> map && spec.element().shape() != 's' && spec.element().shape() != '*') {
            map.forEach((k, x) -> {
              push(k);
              value(spec.element(), x);
              depth--;
            });
          }
        }
        default -> {
          // a scalar, or a value of free shape
        }
      }
    }

    private void push(Object segment) {
      // The input's nesting is bounded well below this (Loader.LIMITS); deeper is not walked.
      if (depth == path.length) {
        throw new IllegalStateException("nesting beyond the input limit");
      }
      path[depth++] = segment;
    }

    private String path(String last) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        if (path[i] instanceof Integer n) {
          sb.append('[').append(n).append(']');
        } else {
          sb.append(sb.length() == 0 ? "" : ".").append(path[i]);
        }
      }
      return sb.append(sb.length() == 0 ? "" : ".").append(last).toString();
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
