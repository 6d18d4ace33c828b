package dev.vigil.spec.bind;

import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds mistakes in a spec model (the Java records), which the binder would otherwise report only
 * when a document reaches them: unsupported component types, {@code @Default} literals that do not
 * bind, fields without {@code @Doc}, {@code @Required} combined with {@code @Default}, and
 * primitives whose absent value (false, 0) is not documented by a {@code @Default}. Meant for a
 * unit test of the model: {@code assertThat(ModelCheck.problems(Station.class)).isEmpty()}.
 */
public final class ModelCheck {
  private final List<String> problems = new ArrayList<>();
  private final Set<Class<?>> seen = new HashSet<>();

  private ModelCheck() {}

  /** Every mistake found in the types reachable from {@code root}, one sentence each. */
  public static List<String> problems(Class<?> root) {
    ModelCheck c = new ModelCheck();
    if (!root.isRecord()) {
      c.problems.add(root.getName() + " is not a record");
    } else {
      c.visit(root);
    }
    return List.copyOf(c.problems);
  }

  /**
   * Paths of the optional sections that are null when absent, because their empty form does not
   * bind (a required field inside, or validation that rejects it, as for a secret reference); every
   * other absent section is bound from an empty mapping so its defaults apply. Lists and maps
   * appear as {@code nodes[]} and {@code receivers.*}. Code reading the model must handle null at
   * exactly these paths.
   */
  public static List<String> nullWhenAbsent(Class<?> root) {
    List<String> out = new ArrayList<>();
    collectNullable(root, "", new ArrayList<>(), out);
    return List.copyOf(out);
  }

  private static void collectNullable(
      Type type, String path, List<Class<?>> stack, List<String> out) {
    FieldType kind = FieldType.of(type);
    if (kind == FieldType.LIST) {
      collectNullable(FieldType.elementType(type), path + "[]", stack, out);
      return;
    }
    if (kind == FieldType.MAP) {
      collectNullable(FieldType.elementType(type), Paths.join(path, "*"), stack, out);
      return;
    }
    if (kind != FieldType.RECORD || stack.contains(type)) {
      return;
    }
    Class<?> record = (Class<?>) type;
    stack.add(record);
    for (RecordComponent c : record.getRecordComponents()) {
      String child = Paths.join(path, c.getName());
      if (FieldType.of(c.getGenericType()) == FieldType.RECORD
          && !c.isAnnotationPresent(Required.class)
          && !c.isAnnotationPresent(Default.class)
          && !Binder.bind(c.getType(), "<empty>", "{}").ok()) {
        out.add(child);
      }
      collectNullable(c.getGenericType(), child, stack, out);
    }
    stack.remove(stack.size() - 1);
  }

  private void visit(Type type) {
    FieldType kind;
    try {
      kind = FieldType.of(type);
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
      return;
    }
    switch (kind) {
      case LIST, MAP -> visit(FieldType.elementType(type));
      case RECORD -> visitRecord((Class<?>) type);
      case CUSTOM_SCALAR -> visitScalar((Class<?>) type);
      default -> {}
    }
  }

  private void visitScalar(Class<?> type) {
    if (!seen.add(type)) {
      return;
    }
    if (!type.isAnnotationPresent(Doc.class)) {
      problems.add(type.getName() + " has no @Doc (shown in the JSON Schema)");
    }
  }

  private void visitRecord(Class<?> type) {
    if (!seen.add(type)) {
      return;
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      // Not an error for binding (the constructor is made accessible), but other modules
      // cannot read a non-public section.
      problems.add(type.getName() + " is not public");
    }
    for (RecordComponent c : type.getRecordComponents()) {
      String name = type.getSimpleName() + "." + c.getName();
      if (!c.isAnnotationPresent(Doc.class)) {
        problems.add(name + " has no @Doc");
      }
      Default d = c.getAnnotation(Default.class);
      if (d != null && c.isAnnotationPresent(Required.class)) {
        problems.add(name + " is both @Required and @Default");
      }
      if (d == null && c.getType().isPrimitive() && !c.isAnnotationPresent(Required.class)) {
        problems.add(
            name + " is a primitive without @Default: its value when absent is undocumented");
      }
      try {
        FieldType.of(c.getGenericType());
      } catch (IllegalStateException e) {
        problems.add(name + ": " + e.getMessage());
        continue;
      }
      if (d != null) {
        try {
          Binder.defaultOf(type, c);
        } catch (IllegalStateException e) {
          problems.add(e.getMessage());
        }
      }
      visit(c.getGenericType());
    }
  }
}
