package dev.vigil.spec.bind;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the binder and the schema generator treat a Java type of a record component. */
enum FieldType {
  STRING,
  BOOLEAN,
  INT,
  LONG,
  DOUBLE,
  DURATION,
  ENUM,
  /** A class with {@code public static X parse(String)}: bound from a scalar's text. */
  CUSTOM_SCALAR,
  RECORD,
  LIST,
  MAP;

  static FieldType of(Type type) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      if (raw == List.class) {
        return LIST;
      }
      if (raw == Map.class) {
        if (p.getActualTypeArguments()[0] != String.class) {
          throw new IllegalStateException("map keys must be String: " + type.getTypeName());
        }
        return MAP;
      }
      throw new IllegalStateException("unsupported spec type " + type.getTypeName());
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalStateException("unsupported spec type " + type.getTypeName());
    }
    if (c == String.class) {
      return STRING;
    }
    if (c == boolean.class || c == Boolean.class) {
      return BOOLEAN;
    }
    if (c == int.class || c == Integer.class) {
      return INT;
    }
    if (c == long.class || c == Long.class) {
      return LONG;
    }
    if (c == double.class || c == Double.class) {
      return DOUBLE;
    }
    if (c == Duration.class) {
      return DURATION;
    }
    if (c.isEnum()) {
      return ENUM;
    }
    if (parser(c) != null) {
      return CUSTOM_SCALAR;
    }
    if (c.isRecord()) {
      return RECORD;
    }
    if (c == List.class || c == Map.class) {
      throw new IllegalStateException("raw " + c.getSimpleName() + " needs a type argument");
    }
    throw new IllegalStateException(
        "unsupported spec type " + c.getName() + " (give it a public static parse(String))");
  }

  /** {@code public static X parse(String)} of a custom scalar type, or null. */
  static Method parser(Class<?> c) {
    return PARSERS.get(c).orElse(null);
  }

  /** Looked up once per class: a failed lookup throws, which is costly for every record bound. */
  private static final ClassValue<Optional<Method>> PARSERS =
      new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> c) {
          try {
            Method m = c.getMethod("parse", String.class);
            if (Modifier.isStatic(m.getModifiers()) && c.isAssignableFrom(m.getReturnType())) {
              return Optional.of(m);
            }
          } catch (NoSuchMethodException e) {
            // Not a custom scalar.
          }
          return Optional.empty();
        }
      };

  /** The element type of a List or the value type of a Map. */
  static Type elementType(Type type) {
    Type[] args = ((ParameterizedType) type).getActualTypeArguments();
    return args[args.length - 1];
  }

  /** The YAML spelling of an enum constant: lower case, '_' becomes '-'. */
  static String yamlName(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
