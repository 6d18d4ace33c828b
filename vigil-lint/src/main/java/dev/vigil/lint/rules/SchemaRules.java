package dev.vigil.lint.rules;

import static dev.vigil.lint.LintProfile.VIGIL;
import static dev.vigil.lint.Severity.ERROR;

import dev.vigil.lint.Context;
import dev.vigil.lint.KubeSchema;
import dev.vigil.lint.Located;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.Rule;
import dev.vigil.lint.YamlValues;
import java.util.List;
import java.util.Map;

/** Fields the Kubernetes API does not have, which the cluster drops without a word. */
final class SchemaRules {
  private SchemaRules() {}

  static List<Rule> all() {
    return List.of(
        new ObjectRule(
            "unknown-field",
            ERROR,
            VIGIL,
            "schema",
            "Objects have only the fields their kind has",
            "Every field of a built-in object (Pod, Deployment, Service, ... in each apiVersion) must"
                + " be a field of its type in the Kubernetes API, as of the schema the linter ships"
                + " (the fabric8 Kubernetes model, Kubernetes 1.34 API). A field in the wrong place —"
                + " runAsUser or requests directly on a container, replicas in a pod template — is"
                + " dropped by a lenient client or refused by strict field validation: either way the"
                + " setting the manifest states does not apply. Custom resources are checked against"
                + " the openAPIV3Schema of their CustomResourceDefinition when it is in the linted set"
                + " (the API server prunes fields a structural schema does not declare, unless"
                + " x-kubernetes-preserve-unknown-fields or additionalProperties allow them); without"
                + " it they are not checked.",
            "Move the field to where its type has it (the message suggests where), or remove it.",
            SchemaRules::unknownFields));
  }

  private static void unknownFields(Manifest m, Context ctx) {
    KubeSchema schema = KubeSchema.builtIn();
    KubeSchema.Type type = schema.root(m.apiVersion(), m.kind());
    if (type != null) {
      new Walk(m, ctx, schema).object(type, m.root());
      return;
    }
    Crd crd = crds(ctx).get(m.apiVersion() + " " + m.kind());
    if (crd != null) {
      Walk w = new Walk(m, ctx, schema);
      w.crd = crd.name();
      for (Map.Entry<String, Object> e : m.root().entrySet()) {
        if (!e.getKey().equals("apiVersion")
            && !e.getKey().equals("kind")
            && !e.getKey().equals("metadata")) {
          w.structural(crd.schema(), m.root(), e.getKey(), e.getValue());
        }
      }
    }
  }

  /** A custom resource's version as a CustomResourceDefinition of the linted set declares it. */
  private record Crd(String name, Map<String, Object> schema) {}

  /**
   * CustomResourceDefinitions (apiextensions.k8s.io/v1) of the linted set, by apiVersion and kind.
   */
  private static Map<String, Crd> crds(Context ctx) {
    return ctx.memo(
        "crd-schemas",
        () -> {
          Map<String, Crd> out = new java.util.HashMap<>();
          for (Manifest c : ctx.ofKind("CustomResourceDefinition")) {
            if (!c.apiVersion().equals("apiextensions.k8s.io/v1")) {
              continue;
            }
            Map<String, Object> spec = YamlValues.map(c.root(), "spec");
            String group = YamlValues.str(spec, "group");
            String kind = YamlValues.str(YamlValues.map(spec, "names"), "kind");
            for (Object v : YamlValues.list(spec, "versions")) {
              Map<String, Object> schema =
                  YamlValues.map(YamlValues.map(v, "schema"), "openAPIV3Schema");
              if (group != null
                  && kind != null
                  && YamlValues.str(v, "name") != null
                  && !schema.isEmpty()) {
                out.put(
                    group + "/" + YamlValues.str(v, "name") + " " + kind,
                    new Crd(c.name() + " (" + YamlValues.str(v, "name") + ")", schema));
              }
            }
          }
          return out;
        });
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

    /**
     * Grown on demand up to {@link #MAX_PATH}: one walk per object, and most objects are shallow.
     */
    private Object[] path = new Object[16];

    private static final int MAX_PATH = 256;
    private int depth;

    Walk(Manifest m, Context ctx, KubeSchema schema) {
      this.m = m;
      this.ctx = ctx;
      this.schema = schema;
      this.shapes = ctx.memo("schema-shapes", java.util.IdentityHashMap::new);
    }

    void object(KubeSchema.Type type, Map<?, ?> map) {
      if (map instanceof Located.LineMap lm) {
        // Objects of one type repeat their keys in the same order (every container of a large
        // input spells name, image, ports...), and the loader shares one String per spelling:
        // the last key list seen for a type, compared by identity, answers without lookups.
        int n = lm.size();
        Shape last = shapes.get(type);
        if (last == null || !last.matches(lm)) {
          last = new Shape(lm, type);
          shapes.put(type, last);
        }
        for (int i = 0; i < n; i++) {
          field(type, map, lm.keyAt(i), lm.valueAt(i), last.specs[i]);
        }
      } else {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          field(type, map, e.getKey(), e.getValue(), type.fields().get(e.getKey()));
        }
      }
    }

    private void field(
        KubeSchema.Type type, Map<?, ?> map, Object key, Object v, KubeSchema.Spec spec) {
      if (spec == null) {
        String k = String.valueOf(key);
        ctx.reportKey(
            m,
            map,
            k,
            path(k)
                + ": "
                + article(type.name())
                + " "
                + type.name()
                + " has no field "
                + k
                + suggestion(schema, type, k));
      } else if (spec.shape() != 's' && spec.shape() != '*') {
        push(key);
        value(spec, v);
        depth--;
      }
    }

    private void value(KubeSchema.Spec spec, Object v) {
      switch (spec.shape()) {
        case 'o' -> {
          if (v instanceof Map<?, ?> map) {
            object(schema.type(spec.type()), map);
          }
        }
        case 'l' -> {
          if (v instanceof List<?> list
              && spec.element().shape() != 's'
              && spec.element().shape() != '*') {
            for (int i = 0; i < list.size(); i++) {
              push(i);
              value(spec.element(), list.get(i));
              depth--;
            }
          }
        }
        case 'm' -> {
          if (v instanceof Map<?, ?> map
              && spec.element().shape() != 's'
              && spec.element().shape() != '*') {
            map.forEach(
                (k, x) -> {
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

    private final Map<KubeSchema.Type, Shape> shapes;

    /** Set when walking a custom resource: the CustomResourceDefinition that declares it. */
    String crd;

    /**
     * The field {@code key} of {@code parent}, against the structural schema of the parent: an
     * object with properties prunes every other field unless it preserves unknown fields or allows
     * additionalProperties.
     */
    void structural(Map<String, Object> parentSchema, Map<?, ?> parent, String key, Object value) {
      if (YamlValues.isTrue(parentSchema, "x-kubernetes-preserve-unknown-fields")) {
        return;
      }
      Map<String, Object> props = YamlValues.map(parentSchema, "properties");
      Object additional = parentSchema.get("additionalProperties");
      Map<String, Object> schema;
      if (props.containsKey(key)) {
        schema = YamlValues.map(props, key);
      } else if (additional instanceof Map<?, ?> a) {
        @SuppressWarnings("unchecked")
        Map<String, Object> as = (Map<String, Object>) a;
        schema = as;
      } else if (Boolean.TRUE.equals(additional) || props.isEmpty()) {
        return;
      } else {
        ctx.reportKey(
            m,
            parent,
            key,
            path(key)
                + ": the CustomResourceDefinition "
                + crd
                + " has no field "
                + key
                + ", so the API server drops it");
        return;
      }
      push(key);
      structuralValue(schema, value);
      depth--;
    }

    private void structuralValue(Map<String, Object> schema, Object value) {
      if (value instanceof Map<?, ?> map) {
        boolean embedded = YamlValues.isTrue(schema, "x-kubernetes-embedded-resource");
        map.forEach(
            (k, v) -> {
              String key = String.valueOf(k);
              if (!(embedded
                  && (key.equals("apiVersion") || key.equals("kind") || key.equals("metadata")))) {
                structural(schema, map, key, v);
              }
            });
      } else if (value instanceof List<?> list) {
        Map<String, Object> items = YamlValues.map(schema, "items");
        if (!items.isEmpty()) {
          for (int i = 0; i < list.size(); i++) {
            push(i);
            structuralValue(items, list.get(i));
            depth--;
          }
        }
      }
    }

    private void push(Object segment) {
      // The input's nesting is bounded well below this (Loader.LIMITS); deeper is not walked.
      if (depth == path.length) {
        if (path.length >= MAX_PATH) {
          throw new IllegalStateException("nesting beyond the input limit");
        }
        path = java.util.Arrays.copyOf(path, Math.min(MAX_PATH, path.length * 2));
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

  /** A mapping's keys, in order, with the field each names in its type (null: none). */
  private static final class Shape {
    final String[] keys;
    final KubeSchema.Spec[] specs;

    Shape(Located.LineMap map, KubeSchema.Type type) {
      int n = map.size();
      keys = new String[n];
      specs = new KubeSchema.Spec[n];
      for (int i = 0; i < n; i++) {
        keys[i] = map.keyAt(i);
        specs[i] = type.fields().get(keys[i]);
      }
    }

    boolean matches(Located.LineMap map) {
      if (map.size() != keys.length) {
        return false;
      }
      for (int i = 0; i < keys.length; i++) {
        if (map.keyAt(i) != keys[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /** Where the field probably belongs: a field of the same name one level down, or a spelling. */
  private static String suggestion(KubeSchema schema, KubeSchema.Type type, String key) {
    for (Map.Entry<String, KubeSchema.Spec> f : type.fields().entrySet()) {
      if (f.getKey().equalsIgnoreCase(key)) {
        return " (did you mean " + f.getKey() + "?)";
      }
    }
    for (Map.Entry<String, KubeSchema.Spec> f :
        type.fields().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
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
