package dev.vigil.spec.bind;

import dev.vigil.base.input.InputException;
import dev.vigil.base.input.InputFiles;
import dev.vigil.base.input.YamlLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Composed YAML trees: parsing with located syntax errors, the structural checks that hold for any
 * spec (unique keys, scalar keys, standard tags only), and the overlay merge.
 */
public final class YamlTree {
  private static final Set<Tag> STANDARD_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);
  private static final int MAX_DEPTH = 64;
  private static final String REPORTED = "dev.vigil.spec.bind.reported";
  private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();
  private static final Pattern LINE_COLUMN = Pattern.compile(":([0-9]+):([0-9]+)");

  private YamlTree() {}

  /**
   * Composes a single YAML document with the YAML 1.2 core schema. Returns empty, after adding
   * problems, when the text is not valid YAML or passes a limit; returns an empty optional without
   * problems when the document is empty (only comments or blank).
   *
   * <p>Limits come first, on the raw text and on the parser's event stream ({@link
   * YamlLimits#SPEC}: nesting depth, nodes once aliases are expanded, scalar length, one document),
   * so nothing is composed or walked that could exhaust the stack, memory or time. Each is a
   * located problem.
   */
  public static Optional<Node> parse(Source source, List<Problem> problems) {
    long bytes = utf8Length(source.text());
    if (bytes > Source.MAX_BYTES) {
      problems.add(
          Problem.at(
              Position.startOf(source.name()),
              "",
              bytes + " bytes, larger than the limit of " + Source.MAX_BYTES + " bytes"));
      return Optional.empty();
    }
    if (source.kind() == Source.Kind.SET) {
      return parseSet(source, problems);
    }
    try {
      YamlLimits.SPEC.check(source.name(), source.text());
    } catch (InputException e) {
      problems.add(Problem.at(positionOf(e, source.name()), "", e.reason()));
      return Optional.empty();
    }
    return compose(source, problems);
  }

  /** Composes without the limits: only for text that passed them. */
  static Optional<Node> compose(Source source, List<Problem> problems) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source.name())
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false)
            // Checked here instead, so the error is located at the key.
            .setAllowNonScalarKeys(true)
            .setUseMarks(true)
            // The size is bounded above; the parser's own default limit (3 Mi code points) would
            // refuse a text under it without a location.
            .setCodePointLimit(Source.MAX_BYTES)
            .setBufferSize(YamlLimits.readBufferFor(source.text()))
            // The parser's own cap of 50 aliases to collections is reported without a location
            // and does not bound the cost; the expanded-node limit checked before does both.
            .setMaxAliasesForCollections(Integer.MAX_VALUE)
            .build();
    try {
      Iterator<Node> documents =
          new Compose(settings).composeAllFromString(source.text()).iterator();
      if (!documents.hasNext()) {
        return Optional.empty();
      }
      Node first = documents.next();
      if (documents.hasNext()) {
        Node second = documents.next();
        problems.add(
            Problem.at(
                position(second, source.name()),
                "",
                "expected a single YAML document, found another one here"));
        return Optional.empty();
      }
      check(first, "", 0, problems);
      return Optional.of(first);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      Position at = mark.map(Position::of).orElse(Position.startOf(source.name()));
      problems.add(Problem.at(at, "", "invalid YAML: " + syntaxMessage(e)));
      return Optional.empty();
    } catch (ReaderException e) {
      problems.add(
          Problem.at(
              positionOf(source.text(), source.name(), e.getPosition()),
              "",
              "invalid YAML: "
                  + InputFiles.printable(String.valueOf(e.getMessage()), 200)
                  + String.format(" (U+%04X)", e.getCodePoint())));
      return Optional.empty();
    } catch (YamlEngineException e) {
      problems.add(
          Problem.at(
              Position.startOf(source.name()),
              "",
              "invalid YAML: " + InputFiles.printable(String.valueOf(e.getMessage()), 200)));
      return Optional.empty();
    }
  }

  /** UTF-8 length without encoding: a 20 MB text is measured, not copied. */
  static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * The line and column of a code point offset, counting line breaks as the parser's marks do (LF,
   * CR not followed by LF, NEL, LS, PS; a byte order mark takes no column).
   */
  static Position positionOf(String text, String name, int codePointOffset) {
    int line = 1;
    int column = 1;
    int seen = 0;
    for (int i = 0; i < text.length() && seen < codePointOffset; seen++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      boolean lf = c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
      boolean cr = c == '\r' && (i >= text.length() || text.charAt(i) != '\n');
      if (lf || cr) {
        line++;
        column = 1;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
    return new Position(name, line, column);
  }

  /** Where a limit was passed: {@code name:line:column} as {@link YamlLimits} reports it. */
  private static Position positionOf(InputException e, String name) {
    String where = e.where();
    if (where.startsWith(name)) {
      Matcher m = LINE_COLUMN.matcher(where.substring(name.length()));
      if (m.matches()) {
        return new Position(name, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
    }
    return Position.startOf(name);
  }

  /**
   * Turns {@code a.b.c=value} into the tree of {@code {a: {b: {c: value}}}}. Every node is marked
   * at its column in the assignment, so a bad value is reported where it was typed.
   */
  private static Optional<Node> parseSet(Source source, List<Problem> problems) {
    String text = source.text();
    int eq = text.indexOf('=');
    String path = eq < 0 ? text : text.substring(0, eq);
    if (eq < 0 || !path.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      problems.add(
          Problem.at(
              Position.startOf(source.name()),
              "",
              "expected path=value with a dotted path such as components.grafana.replicas=2, got "
                  + Excerpts.quoted(text)));
      return Optional.empty();
    }
    // Pad so the value's marks carry its column within the whole assignment.
    String padded = " ".repeat(eq + 1) + text.substring(eq + 1);
    Optional<Node> value =
        parse(new Source(source.name(), padded.isBlank() ? padded + "~" : padded), problems);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    int[] codePoints = text.codePoints().toArray();
    String[] segments = path.split("\\.");
    Node node = value.get();
    int column = path.length();
    for (int i = segments.length - 1; i >= 0; i--) {
      column -= segments[i].length();
      Optional<Mark> mark =
          Optional.of(new Mark(source.name(), column, 0, column, codePoints, column));
      ScalarNode key = new ScalarNode(Tag.STR, true, segments[i], ScalarStyle.PLAIN, mark, mark);
      List<NodeTuple> tuples = new ArrayList<>();
      tuples.add(new NodeTuple(key, node));
      node = new MappingNode(Tag.MAP, true, tuples, FlowStyle.BLOCK, mark, mark);
      column -= 1;
    }
    return Optional.of(node);
  }

  private static String syntaxMessage(MarkedYamlEngineException e) {
    String problem =
        e.getProblem() == null ? "syntax error" : InputFiles.printable(e.getProblem(), 200);
    String context = e.getContext() == null ? null : InputFiles.printable(e.getContext(), 200);
    if (context != null && e.getContextMark().isPresent() && e.getProblemMark().isPresent()) {
      Mark c = e.getContextMark().get();
      return problem + " (" + context + " at line " + (c.getLine() + 1) + ")";
    }
    return context == null ? problem : problem + " (" + context + ")";
  }

  /**
   * Rejects what a spec never means: duplicate keys (YAML forbids them, yet most parsers keep the
   * last silently), non-scalar keys, application tags, and absurd nesting. The offending entries
   * are dropped or marked, so binding can go on and report the document's other problems.
   */
  private static void check(Node node, String path, int depth, List<Problem> problems) {
    String file = fileOf(node);
    if (depth > MAX_DEPTH) {
      report(
          node,
          problems,
          Problem.at(position(node, file), path, "nesting deeper than " + MAX_DEPTH + " levels"));
      return;
    }
    if (node.isRecursive()) {
      report(
          node,
          problems,
          Problem.at(position(node, file), path, "recursive aliases are not allowed"));
      return;
    }
    if (!STANDARD_TAGS.contains(node.getTag())) {
      report(
          node,
          problems,
          Problem.at(
              position(node, file),
              path,
              "unsupported YAML tag " + Excerpts.quoted(shortTag(node.getTag()))));
      return;
    }
    if (node instanceof ScalarNode s && !Tag.STR.equals(s.getTag())) {
      // An explicit tag (!!int abc) must agree with what the text is, as if it were untagged.
      Tag resolved = RESOLVER.resolve(s.getValue(), true);
      boolean floatFromInt = Tag.FLOAT.equals(s.getTag()) && Tag.INT.equals(resolved);
      if (!resolved.equals(s.getTag()) && !floatFromInt) {
        report(
            node,
            problems,
            Problem.at(
                position(node, file),
                path,
                Excerpts.quoted(s.getValue()) + " is not a valid " + shortTag(s.getTag())));
      }
      return;
    }
    if (node instanceof MappingNode m) {
      Map<String, Node> seen = new HashMap<>();
      List<NodeTuple> kept = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode key)) {
          problems.add(
              Problem.at(
                  position(k, file), path, "expected a plain key, got " + Binder.describe(k)));
          continue;
        }
        String childPath = Paths.key(path, key.getValue());
        Node first = seen.putIfAbsent(key.getValue(), k);
        if (first != null) {
          problems.add(
              Problem.at(
                  position(k, file),
                  childPath,
                  "duplicate key "
                      + Excerpts.quoted(key.getValue())
                      + " (first at line "
                      + position(first, file).line()
                      + ")"));
          continue;
        }
        kept.add(t);
        check(t.getValueNode(), childPath, depth + 1, problems);
      }
      if (kept.size() != m.getValue().size()) {
        m.setValue(kept);
      }
    } else if (node instanceof SequenceNode s) {
      List<Node> items = s.getValue();
      for (int i = 0; i < items.size(); i++) {
        check(items.get(i), Paths.index(path, i), depth + 1, problems);
      }
    }
  }

  /** Adds the problem and marks the node so the binder skips it instead of reporting it again. */
  private static void report(Node node, List<Problem> problems, Problem problem) {
    problems.add(problem);
    node.setProperty(REPORTED, Boolean.TRUE);
  }

  /** True if a structural problem was already reported for this node. */
  static boolean isReported(Node node) {
    return node.getProperty(REPORTED) != null;
  }

  private static String shortTag(Tag tag) {
    String v = tag.getValue();
    return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
  }

  /**
   * Merges {@code overlay} over {@code base}: mappings key by key, recursively; a null value in the
   * overlay deletes the key; sequences of named mappings item by item by {@code name} (matching
   * names merge, new names are appended in overlay order); anything else in the overlay replaces
   * the base. Nodes keep their marks, so errors name the file a value came from. Neither input is
   * modified.
   */
  public static Node merge(Node base, Node overlay) {
    if (base instanceof MappingNode b && overlay instanceof MappingNode o) {
      List<NodeTuple> result = new ArrayList<>(b.getValue());
      for (NodeTuple t : o.getValue()) {
        String key = keyText(t);
        int at = indexOfKey(result, key);
        if (isNull(t.getValueNode())) {
          if (at >= 0) {
            result.remove(at);
          }
        } else if (at >= 0) {
          NodeTuple old = result.get(at);
          result.set(
              at, new NodeTuple(old.getKeyNode(), merge(old.getValueNode(), t.getValueNode())));
        } else {
          result.add(t);
        }
      }
      return new MappingNode(
          b.getTag(), true, result, b.getFlowStyle(), b.getStartMark(), b.getEndMark());
    }
    if (base instanceof SequenceNode b
        && overlay instanceof SequenceNode o
        && allNamed(b)
        && allNamed(o)) {
      List<Node> result = new ArrayList<>(b.getValue());
      for (Node item : o.getValue()) {
        String name = nameOf(item);
        int at = -1;
        for (int i = 0; i < result.size(); i++) {
          if (name.equals(nameOf(result.get(i)))) {
            at = i;
            break;
          }
        }
        if (at >= 0) {
          result.set(at, merge(result.get(at), item));
        } else {
          result.add(item);
        }
      }
      return new SequenceNode(
          b.getTag(), true, result, b.getFlowStyle(), b.getStartMark(), b.getEndMark());
    }
    return overlay;
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  private static boolean allNamed(SequenceNode s) {
    if (s.getValue().isEmpty()) {
      return false;
    }
    for (Node item : s.getValue()) {
      if (nameOf(item) == null) {
        return false;
      }
    }
    return true;
  }

  private static String nameOf(Node item) {
    if (item instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if ("name".equals(keyText(t)) && t.getValueNode() instanceof ScalarNode v && !isNull(v)) {
          return v.getValue();
        }
      }
    }
    return null;
  }

  private static String keyText(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
  }

  private static int indexOfKey(List<NodeTuple> tuples, String key) {
    for (int i = 0; i < tuples.size(); i++) {
      if (key != null && key.equals(keyText(tuples.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  static String fileOf(Node node) {
    return node.getStartMark().map(Mark::getName).orElse("<unknown>");
  }

  static Position position(Node node, String fallbackFile) {
    return node.getStartMark().map(Position::of).orElse(Position.startOf(fallbackFile));
  }
}
