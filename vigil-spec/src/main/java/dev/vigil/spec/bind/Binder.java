package dev.vigil.spec.bind;

import dev.vigil.base.DurationText;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds YAML spec documents to Java records, strictly, reporting every problem with its file, line,
 * column and field path.
 *
 * <h2>Sources and overlays</h2>
 *
 * {@link #bind(Class, List)} takes a base document and any number of overlays. Each is parsed on
 * its own (YAML 1.2 core schema, one document per source), then the overlays are merged over the
 * base in order, before binding:
 *
 * <ul>
 *   <li>mappings merge key by key, recursively;
 *   <li>a null value in an overlay ({@code key: ~} or {@code key:}) deletes the key;
 *   <li>sequences whose items are all mappings with a {@code name} key (in base and overlay) merge
 *       item by item: an overlay item merges into the base item of the same name, new names are
 *       appended in overlay order;
 *   <li>any other value in an overlay replaces the base's.
 * </ul>
 *
 * Every value keeps the position it was written at, so an error in a value that came from an
 * overlay names the overlay's file. A {@link Source#set} assignment ({@code
 * components.grafana.replicas=2}) is an overlay of one key: its value is read as YAML, {@code ~} or
 * nothing deletes the key, and its problems are named {@code --set} with the column inside the
 * assignment. The caller decides the precedence by the order of the sources (Vigil's CLI: file,
 * then {@code -e} overlays, then {@code --set}).
 *
 * <h2>Binding</h2>
 *
 * <ul>
 *   <li>The root is a mapping bound to the root record. A record is bound from a mapping whose keys
 *       are exactly its component names (camelCase). A key that is not a component is an error
 *       ("unknown field 'retentoin' (did you mean 'retention'?)", or the list of allowed fields
 *       when nothing is close).
 *   <li>Scalars follow the YAML 1.2 core schema: {@code String} takes any scalar, as written
 *       ({@code 1.10} stays "1.10"); {@code boolean} takes only true/false; {@code int} and {@code
 *       long} only integers (decimal, {@code 0x}, {@code 0o}), range-checked; {@code double}
 *       integers and floats; a quoted scalar is always a string, so {@code "5"} is not an integer
 *       and {@code "true"} is not a boolean.
 *   <li>{@link java.time.Duration} is written the Prometheus way ({@code 30s}, {@code 5m}, {@code
 *       1h30m}, {@code 7d}, {@code 2w}, {@code 250ms}); a bare number is an error because the unit
 *       is ambiguous, and at most 290 years (see {@link DurationText}).
 *   <li>An enum constant is written in lower case with '-' for '_' ({@code CONTROL_PLANE} is {@code
 *       control-plane}); an error lists the allowed values.
 *   <li>A class with {@code public static X parse(String)} is a custom scalar, bound from the
 *       scalar's text; the {@link IllegalArgumentException} it throws is the error message, so it
 *       should say what was expected ("expected a quantity such as 10Gi, got '10 GB'").
 *   <li>{@code List<T>} is bound from a sequence; {@code Map<String, T>} from a mapping, keeping
 *       the file's key order. Both are unmodifiable. Null items and values are errors.
 *   <li>Duplicate keys, non-scalar keys, application tags ({@code !foo}), recursive aliases and
 *       more than one document per source are errors. Anchors, aliases and merge keys ({@code <<:
 *       *base}) work as YAML defines them.
 * </ul>
 *
 * <h2>Absent keys</h2>
 *
 * A key that is absent or null ({@code key: ~}) takes, in this order:
 *
 * <ol>
 *   <li>its {@link Default @Default} literal, parsed as if it had been written in the file;
 *   <li>"missing required field 'x'" when it is {@link Required @Required} (located at the mapping
 *       that lacks it);
 *   <li>for a nested record: the record bound from an empty mapping, so its own defaults apply; if
 *       that is not possible without problems (the record has a required field, or its validation
 *       rejects the empty record, as {@code SecretRef} does), the component is null;
 *   <li>an empty list or map;
 *   <li>false or 0 for primitives, otherwise null.
 * </ol>
 *
 * <h2>Validation</h2>
 *
 * A record's canonical constructor may throw {@link IllegalArgumentException}; its message becomes
 * a problem at the record. After a record is constructed, and after all records inside it, the
 * binder calls {@link Validated#validate} if it implements it; each error's field path is resolved
 * relative to the record and located at that field (or at its nearest ancestor written in the file,
 * when the field was absent). A record whose fields did not bind is not constructed and not
 * validated, so one mistake is reported once.
 *
 * <h2>Problems</h2>
 *
 * Binding never stops at the first problem: all are collected, sorted by file (base first), line
 * and column. The value is null if there is any. Values are quoted through {@link Excerpts} (at
 * most 60 characters, control characters escaped), and durations in a record's own check messages
 * are shown as a spec writes them ({@code 30s}, not {@code PT30S}). YAML syntax errors, an empty
 * document and input past the limits of {@link YamlTree#parse} are problems too, never exceptions.
 * Only mistakes in the Java model itself (an unsupported component type, an invalid
 * {@code @Default}) throw {@link IllegalStateException}; {@link ModelCheck} finds them all up
 * front, for a unit test of the model. {@link Bound#locations()} lets callers add located problems
 * of their own (checks across the whole spec) with {@link Locations#problemAt}.
 *
 * <h2>Secrets</h2>
 *
 * Problems about a field or type marked {@link Sensitive}, or about a field whose name says it
 * holds a secret (password, secret, token, apiKey, credential, privateKey), never echo the scalar
 * written there (a password pasted where a secret reference belongs): they say "got a scalar (not
 * shown, it may be a secret)" instead, and a sensitive record's own checks have its text fields
 * masked in their messages.
 *
 * <h2>JSON Schema</h2>
 *
 * {@link JsonSchema} publishes the same rules for editors. It is slightly stricter than the binder
 * in one place: a {@code String} field is a JSON string there, while the binder also accepts an
 * unquoted number or boolean as its text ({@code version: 1.10}).
 */
public final class Binder {
  private static final Object FAILED = new Object();

  /**
   * Bound {@code @Default} values by the component's accessor: a RecordComponent is a new object on
   * every {@code getRecordComponents()} call and compares by identity, a Method by what it names.
   */
  private static final Map<Method, Object> DEFAULTS = new ConcurrentHashMap<>();

  /**
   * Each record type's components, looked up once: every lookup makes new RecordComponent objects,
   * each parsing its annotations again, which made binding a long list of records cost kilobytes
   * per field.
   */
  static final ClassValue<RecordComponent[]> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
          return type.getRecordComponents();
        }
      };

  /** What each custom scalar looks like, found once (by calling its parser with nothing). */
  private static final ClassValue<String> EXPECTED_CUSTOM =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return expectedOfCustom(type, FieldType.parser(type));
        }
      };

  private static final ClassValue<Constructor<?>> CONSTRUCTORS =
      new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
          try {
            Constructor<?> ctor =
                type.getDeclaredConstructor(
                    java.util.Arrays.stream(COMPONENTS.get(type))
                        .map(RecordComponent::getType)
                        .toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return ctor;
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
          }
        }
      };

  private Binder() {}

  /** Binds one document. */
  public static <T> Bound<T> bind(Class<T> root, String name, String text) {
    return bind(root, List.of(new Source(name, text)));
  }

  /** Binds a base document and overlays merged over it in order. */
  public static <T> Bound<T> bind(Class<T> root, Source... sources) {
    return bind(root, List.of(sources));
  }

  /** Binds a base document and overlays merged over it in order. */
  public static <T> Bound<T> bind(Class<T> root, List<Source> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no spec source given");
    }
    if (!root.isRecord()) {
      throw new IllegalStateException("root type must be a record: " + root.getName());
    }
    List<String> files = sources.stream().map(Source::name).toList();
    List<Problem> problems = new ArrayList<>();
    List<Optional<Node>> trees = new ArrayList<>();
    boolean unreadable = false;
    for (Source s : sources) {
      int before = problems.size();
      Optional<Node> tree = YamlTree.parse(s, problems);
      trees.add(tree);
      if (tree.isEmpty() && problems.size() > before) {
        unreadable = true;
      } else if (tree.isEmpty() && trees.size() == 1) {
        problems.add(
            Problem.at(
                Position.startOf(s.name()), "", "the document is empty; expected a mapping"));
        unreadable = true;
      }
    }
    Position document = Position.startOf(files.get(0));
    if (unreadable) {
      Locations locations = new Locations(document, files);
      sources.forEach(locations::addSource);
      return new Bound<>(null, sort(problems, files), locations);
    }
    Node merged = trees.get(0).orElseThrow();
    for (Optional<Node> overlay : trees.subList(1, trees.size())) {
      if (overlay.isPresent()) {
        merged = YamlTree.merge(merged, overlay.get());
      }
    }
    document = YamlTree.position(merged, files.get(0));
    Run run = new Run(new Locations(document, files));
    sources.forEach(run.locations::addSource);
    run.problems.addAll(problems);
    Object value = run.bindValue(root, merged, "", Optional.empty());
    T result = value == FAILED ? null : root.cast(value);
    return new Bound<>(result, sort(run.problems, files), run.locations);
  }

  /**
   * Sorts by the given order of files (unknown files last, by name), then line and column; the sort
   * is stable, so problems at one position keep the order they were found in (declaration order of
   * the fields).
   */
  static List<Problem> sort(List<Problem> problems, List<String> files) {
    Comparator<Problem> order =
        Comparator.<Problem>comparingInt(
                p -> files.indexOf(p.file()) < 0 ? files.size() : files.indexOf(p.file()))
            .thenComparing(Problem::file)
            .thenComparingInt(Problem::line)
            .thenComparingInt(Problem::column);
    return problems.stream().distinct().sorted(order).toList();
  }

  /** "a mapping", "a sequence", "'abc'", "null", "a quoted string '5'". */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a sequence";
    }
    ScalarNode s = (ScalarNode) node;
    if (YamlTree.isNull(s)) {
      return "null";
    }
    boolean quoted =
        s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
            || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED;
    return (quoted ? "a quoted string " : "") + Excerpts.quoted(s.getValue());
  }

  /** One binding pass: its problems and locations. */
  private static final class Run {
    final List<Problem> problems = new ArrayList<>();
    final Locations locations;
    final Set<Class<?>> bindingEmpty = new HashSet<>();
    int sensitive;

    Run(Locations locations) {
      this.locations = locations;
    }

    void problem(Position at, String path, String message) {
      problems.add(Problem.at(at, path, message));
    }

    /** Keeps the node's lines out of excerpts: they may hold a secret. */
    void hide(Node node) {
      node.getStartMark()
          .ifPresent(
              start -> {
                int end = node.getEndMark().map(m -> m.getLine() + 1).orElse(start.getLine() + 1);
                locations.hide(
                    start.getName(), start.getLine() + 1, Math.max(end, start.getLine() + 1));
              });
    }

    String describeNode(Node node) {
      if (sensitive > 0 && node instanceof ScalarNode && !YamlTree.isNull(node)) {
        return Sensitive.HIDDEN;
      }
      return describe(node);
    }

    /** A type's own parse message, without the value when it may be a secret. */
    String redact(String message, Node node) {
      if (sensitive > 0 && node instanceof ScalarNode s && !s.getValue().isEmpty()) {
        String v = s.getValue();
        String hidden =
            message
                .replace("'" + v + "'", Sensitive.HIDDEN)
                .replace(Excerpts.quoted(v), Sensitive.HIDDEN);
        return v.length() >= 4 ? mask(hidden, v) : hidden;
      }
      return message;
    }

    Object bindValue(Type type, Node node, String path, Optional<Position> keyAt) {
      boolean secret = type instanceof Class<?> c && c.isAnnotationPresent(Sensitive.class);
      sensitive += secret ? 1 : 0;
      try {
        return bindAny(type, node, path, keyAt);
      } finally {
        sensitive -= secret ? 1 : 0;
      }
    }

    private Object bindAny(Type type, Node node, String path, Optional<Position> keyAt) {
      FieldType kind = FieldType.of(type);
      if (sensitive > 0) {
        hide(node);
      }
      if (YamlTree.isReported(node)) {
        return FAILED;
      }
      Position at = YamlTree.position(node, locations.positionOf(path).file());
      boolean collection = !(node instanceof ScalarNode);
      locations.put(path, collection ? keyAt.orElse(at) : at);
      switch (kind) {
        case STRING:
          if (node instanceof ScalarNode s) {
            return s.getValue();
          }
          return mismatch(at, path, "a string", node);
        case BOOLEAN:
          if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
          }
          return mismatch(at, path, "true or false", node);
        case INT:
        case LONG:
          return bindInteger(kind, node, path, at);
        case DOUBLE:
          return bindDouble(node, path, at);
        case DURATION:
          return bindParsed(node, path, at, DurationText.EXPECTED, DurationText::parse);
        case ENUM:
          return bindEnum((Class<?>) type, node, path, at);
        case CUSTOM_SCALAR:
          return bindCustom((Class<?>) type, node, path, at);
        case RECORD:
          if (node instanceof MappingNode m) {
            return bindRecord((Class<?>) type, m.getValue(), path, at);
          }
          return mismatch(at, path, "a mapping", node);
        case LIST:
          return bindList(type, node, path, at);
        case MAP:
          return bindMap(type, node, path, at);
        default:
          throw new IllegalStateException("unhandled " + kind);
      }
    }

    Object mismatch(Position at, String path, String expected, Node node) {
      problem(at, path, "expected " + expected + ", got " + describeNode(node));
      return FAILED;
    }

    Object bindInteger(FieldType kind, Node node, String path, Position at) {
      if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
        return mismatch(at, path, "an integer", node);
      }
      BigInteger v = parseCoreInt(s.getValue());
      BigInteger min =
          BigInteger.valueOf(kind == FieldType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE);
      BigInteger max =
          BigInteger.valueOf(kind == FieldType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE);
      if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
        return mismatch(at, path, "an integer between " + min + " and " + max, node);
      }
      return kind == FieldType.INT ? (Object) v.intValue() : (Object) v.longValue();
    }

    Object bindDouble(Node node, String path, Position at) {
      if (node instanceof ScalarNode s
          && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
        String t = s.getValue();
        if (Tag.INT.equals(s.getTag())) {
          // Long decimal text parses directly: parseCoreInt clamps it to the long range.
          boolean longDecimal = t.length() > 40 && !t.startsWith("0x") && !t.startsWith("0o");
          return longDecimal ? Double.parseDouble(t) : parseCoreInt(t).doubleValue();
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".nan")) {
          return Double.NaN;
        }
        if (lower.endsWith(".inf")) {
          return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          // Falls through to the located error below.
        }
      }
      return mismatch(at, path, "a number", node);
    }

    Object bindParsed(
        Node node,
        String path,
        Position at,
        String expected,
        java.util.function.Function<String, Object> parser) {
      if (!(node instanceof ScalarNode s)) {
        return mismatch(at, path, expected, node);
      }
      try {
        return parser.apply(s.getValue());
      } catch (IllegalArgumentException e) {
        problem(
            at,
            path,
            redact(messageOf(e, "expected " + expected + ", got " + describeNode(node)), node));
        return FAILED;
      }
    }

    Object bindEnum(Class<?> type, Node node, String path, Position at) {
      Map<String, Object> byName = new LinkedHashMap<>();
      for (Object c : type.getEnumConstants()) {
        byName.put(FieldType.yamlName((Enum<?>) c), c);
      }
      String expected = enumChoices(byName.keySet());
      if (!(node instanceof ScalarNode s)) {
        return mismatch(at, path, expected, node);
      }
      Object value = byName.get(s.getValue());
      if (value == null) {
        problem(
            at,
            path,
            "expected "
                + expected
                + ", got "
                + describeNode(node)
                + Names.hint(s.getValue(), byName.keySet()));
        return FAILED;
      }
      return value;
    }

    Object bindCustom(Class<?> type, Node node, String path, Position at) {
      Method parse = FieldType.parser(type);
      String expected = EXPECTED_CUSTOM.get(type);
      return bindParsed(
          node,
          path,
          at,
          expected,
          text -> {
            try {
              return parse.invoke(null, text);
            } catch (InvocationTargetException e) {
              if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
              }
              throw new IllegalArgumentException(
                  "expected "
                      + expected
                      + ", got "
                      + Excerpts.quoted(text)
                      + " ("
                      + e.getCause()
                      + ")");
            } catch (IllegalAccessException e) {
              throw new IllegalStateException("cannot call " + parse, e);
            }
          });
    }

    Object bindList(Type type, Node node, String path, Position at) {
      if (!(node instanceof SequenceNode seq)) {
        return mismatch(at, path, "a sequence", node);
      }
      Type element = FieldType.elementType(type);
      List<Object> out = new ArrayList<>();
      boolean failed = false;
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String itemPath = Paths.index(path, i);
        Object v = bindPresentOrNull(element, items.get(i), itemPath, Optional.empty());
        failed |= v == FAILED;
        out.add(v);
      }
      return failed ? FAILED : Collections.unmodifiableList(out);
    }

    Object bindMap(Type type, Node node, String path, Position at) {
      if (!(node instanceof MappingNode m)) {
        return mismatch(at, path, "a mapping", node);
      }
      Type valueType = FieldType.elementType(type);
      Map<String, Object> out = new LinkedHashMap<>();
      boolean failed = false;
      for (NodeTuple t : m.getValue()) {
        ScalarNode key = (ScalarNode) t.getKeyNode();
        String keyPath = Paths.key(path, key.getValue());
        Object v =
            bindPresentOrNull(
                valueType,
                t.getValueNode(),
                keyPath,
                Optional.of(YamlTree.position(key, at.file())));
        failed |= v == FAILED;
        out.put(key.getValue(), v);
      }
      return failed ? FAILED : Collections.unmodifiableMap(out);
    }

    /** Items of lists and values of maps may not be null: there is no default to apply. */
    Object bindPresentOrNull(Type type, Node node, String path, Optional<Position> keyAt) {
      if (YamlTree.isNull(node)) {
        Position at = YamlTree.position(node, locations.positionOf(path).file());
        locations.put(path, at);
        return mismatch(at, path, expectedOf(type), node);
      }
      return bindValue(type, node, path, keyAt);
    }

    Object bindRecord(Class<?> type, List<NodeTuple> tuples, String path, Position at) {
      RecordComponent[] components = COMPONENTS.get(type);
      Map<String, RecordComponent> byName = new LinkedHashMap<>();
      for (RecordComponent c : components) {
        byName.put(c.getName(), c);
      }
      Map<String, NodeTuple> given = new LinkedHashMap<>();
      for (NodeTuple t : tuples) {
        ScalarNode key = (ScalarNode) t.getKeyNode();
        String name = key.getValue();
        Position keyAt = YamlTree.position(key, at.file());
        if (byName.containsKey(name)) {
          given.put(name, t);
        } else {
          if (secretName(name)) {
            hide(t.getValueNode());
          }
          problem(keyAt, Paths.key(path, name), unknownField(name, byName.keySet()));
        }
      }
      Object[] args = new Object[components.length];
      boolean failed = false;
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        String childPath = Paths.key(path, c.getName());
        NodeTuple t = given.get(c.getName());
        Object v;
        if (t != null && !YamlTree.isNull(t.getValueNode())) {
          Position keyAt = YamlTree.position(t.getKeyNode(), at.file());
          boolean secret = c.isAnnotationPresent(Sensitive.class) || secretName(c.getName());
          sensitive += secret ? 1 : 0;
          try {
            v = bindValue(c.getGenericType(), t.getValueNode(), childPath, Optional.of(keyAt));
          } finally {
            sensitive -= secret ? 1 : 0;
          }
        } else {
          if (t != null) {
            locations.put(childPath, YamlTree.position(t.getKeyNode(), at.file()));
          }
          v = absent(type, c, path, childPath);
        }
        failed |= v == FAILED;
        args[i] = v;
      }
      if (failed) {
        return FAILED;
      }
      Object record;
      try {
        record = CONSTRUCTORS.get(type).newInstance(args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        String message =
            cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        problem(locations.positionOf(path), path, message);
        return FAILED;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot construct " + type.getName(), e);
      }
      if (record instanceof Validated v) {
        try {
          List<String> hide = sensitive > 0 ? stringValues(record, components) : List.of();
          v.validate(
              (field, message) -> {
                String shown = message;
                for (String h : hide) {
                  shown = mask(shown, h);
                }
                if (shown.contains("PT")) {
                  shown = DurationWords.rewrite(shown, record);
                }
                problems.add(locations.problemAt(Paths.join(path, field), shown));
              });
        } catch (RuntimeException e) {
          // A bug in a check must still end in a located problem, not a stack trace for the user.
          problem(
              locations.positionOf(path),
              path,
              "could not check " + type.getSimpleName() + ": " + e);
          return FAILED;
        }
      }
      return record;
    }

    Object absent(Class<?> owner, RecordComponent c, String parentPath, String path) {
      Default d = c.getAnnotation(Default.class);
      if (d != null) {
        return defaultValue(owner, c, d.value());
      }
      if (c.isAnnotationPresent(Required.class)) {
        problem(
            locations.positionOf(parentPath),
            parentPath,
            "missing required field '" + c.getName() + "'");
        return FAILED;
      }
      Class<?> raw = c.getType();
      switch (FieldType.of(c.getGenericType())) {
        case RECORD:
          return emptyRecord(raw, path);
        case LIST:
          return List.of();
        case MAP:
          return Map.of();
        default:
          break;
      }
      if (raw == boolean.class) {
        return false;
      }
      if (raw == int.class) {
        return 0;
      }
      if (raw == long.class) {
        return 0L;
      }
      if (raw == double.class) {
        return 0.0;
      }
      return null;
    }

    /** The text fields of a sensitive record, which its checks' messages must not echo. */
    List<String> stringValues(Object record, RecordComponent[] components) {
      List<String> out = new ArrayList<>();
      for (RecordComponent c : components) {
        if (c.getType() == String.class) {
          try {
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            Object v = accessor.invoke(record);
            if (v instanceof String text && text.length() >= 4) {
              out.add(text);
            }
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
          }
        }
      }
      return out;
    }

    /** An absent section: its defaults if it binds from nothing, else null. */
    Object emptyRecord(Class<?> type, String path) {
      if (!bindingEmpty.add(type)) {
        return null;
      }
      try {
        Run trial = new Run(new Locations(locations.positionOf(path), locations.files()));
        trial.bindingEmpty.addAll(bindingEmpty);
        Object v = trial.bindRecord(type, List.of(), path, locations.positionOf(path));
        return v == FAILED || !trial.problems.isEmpty() ? null : v;
      } finally {
        bindingEmpty.remove(type);
      }
    }
  }

  /** The message with {@code secret}, whole or as an excerpt quotes it, replaced by ***. */
  static String mask(String message, String secret) {
    String masked = message.replace(secret, "***");
    String excerpt = Excerpts.of(secret);
    return excerpt.length() >= 4 ? masked.replace(excerpt, "***") : masked;
  }

  /** The bound {@code @Default} of a component; throws IllegalStateException if it is invalid. */
  static Object defaultOf(Class<?> owner, RecordComponent c) {
    return defaultValue(owner, c, c.getAnnotation(Default.class).value());
  }

  private static Object defaultValue(Class<?> owner, RecordComponent c, String literal) {
    Object cached = DEFAULTS.get(c.getAccessor());
    if (cached != null) {
      return cached;
    }
    String where = "@Default(\"" + literal + "\") of " + owner.getSimpleName() + "." + c.getName();
    List<Problem> parseProblems = new ArrayList<>();
    Optional<Node> node = YamlTree.parse(new Source(where, literal), parseProblems);
    if (!parseProblems.isEmpty() || node.isEmpty() || YamlTree.isNull(node.get())) {
      throw new IllegalStateException("invalid " + where + ": not a YAML value");
    }
    Run run = new Run(new Locations(Position.startOf(where), List.of(where)));
    Object v = run.bindValue(c.getGenericType(), node.get(), c.getName(), Optional.empty());
    if (v == FAILED || !run.problems.isEmpty()) {
      throw new IllegalStateException(
          "invalid "
              + where
              + ": "
              + run.problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    }
    DEFAULTS.put(c.getAccessor(), v);
    return v;
  }

  private static final List<String> SECRET_WORDS =
      List.of("password", "passwd", "secret", "token", "apikey", "credential", "privatekey");

  /** A safety net for fields not marked {@link Sensitive}: names that say they hold a secret. */
  static boolean secretName(String componentName) {
    String lower = componentName.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  static String unknownField(String name, Set<String> allowed) {
    Optional<String> close = Names.didYouMean(name, allowed);
    String shown = Excerpts.quoted(name);
    if (close.isPresent()) {
      return "unknown field " + shown + " (did you mean '" + close.get() + "'?)";
    }
    if (allowed.isEmpty()) {
      return "unknown field " + shown + "; this section has no fields";
    }
    return "unknown field " + shown + "; expected one of: " + String.join(", ", allowed);
  }

  static String enumChoices(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    if (list.size() == 1) {
      return list.get(0);
    }
    String head = String.join(", ", list.subList(0, list.size() - 1));
    return (list.size() == 2 ? "" : "one of ") + head + " or " + list.get(list.size() - 1);
  }

  /** What a value of this type looks like, for "expected ..." messages. */
  static String expectedOf(Type type) {
    switch (FieldType.of(type)) {
      case STRING:
        return "a string";
      case BOOLEAN:
        return "true or false";
      case INT:
      case LONG:
        return "an integer";
      case DOUBLE:
        return "a number";
      case DURATION:
        return DurationText.EXPECTED;
      case ENUM:
        {
          List<String> names = new ArrayList<>();
          for (Object c : ((Class<?>) type).getEnumConstants()) {
            names.add(FieldType.yamlName((Enum<?>) c));
          }
          return enumChoices(new java.util.LinkedHashSet<>(names));
        }
      case CUSTOM_SCALAR:
        return EXPECTED_CUSTOM.get((Class<?>) type);
      case LIST:
        return "a sequence";
      default:
        return "a mapping";
    }
  }

  /**
   * What a custom scalar looks like, taken from its own parse error for the empty string ("expected
   * a quantity such as 10Gi, got ''" gives "a quantity such as 10Gi"), so the type's wording is
   * used even when the YAML node is not a scalar at all.
   */
  static String expectedOfCustom(Class<?> type, Method parse) {
    try {
      parse.invoke(null, "");
    } catch (InvocationTargetException e) {
      String m = e.getCause() == null ? null : e.getCause().getMessage();
      if (m != null && m.startsWith("expected ")) {
        int got = m.indexOf(", got ");
        return got > 0 ? m.substring("expected ".length(), got) : m.substring("expected ".length());
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + parse, e);
    }
    String simple = type.getSimpleName();
    String words = simple.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return ("aeiou".indexOf(words.charAt(0)) >= 0 ? "an " : "a ") + words;
  }

  /**
   * A core-schema integer: decimal with optional sign, 0o octal or 0x hexadecimal. More than 40
   * significant digits are read as a value just past the long range: a million digits then cost
   * nothing (the conversion is quadratic) and still fail the range check.
   */
  static BigInteger parseCoreInt(String text) {
    String t = text.startsWith("+") ? text.substring(1) : text;
    if (t.length() > 40) {
      int first = t.startsWith("-") ? 1 : t.startsWith("0x") || t.startsWith("0o") ? 2 : 0;
      while (first < t.length() - 1 && t.charAt(first) == '0') {
        first++;
      }
      if (t.length() - first > 40) {
        BigInteger past = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        return t.startsWith("-") ? past.negate().subtract(BigInteger.ONE) : past;
      }
    }
    if (t.startsWith("0x")) {
      return new BigInteger(t.substring(2), 16);
    }
    if (t.startsWith("0o")) {
      return new BigInteger(t.substring(2), 8);
    }
    return new BigInteger(t);
  }

  private static String messageOf(IllegalArgumentException e, String fallback) {
    return e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
  }
}
