package dev.vigil.spec.bind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
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

  private YamlTree() {}

  /**
   * Composes a single YAML document with the YAML 1.2 core schema. Returns empty, after adding
   * problems, when the text is not valid YAML; returns an empty optional without problems when the
   * document is empty (only comments or blank).
   */
  public static Optional<Node> parse(Source source, List<Problem> problems) {
    if (source.kind() == Source.Kind.SET) {
      return parseSet(source, problems);
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source.name())
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false)
            // Checked here instead, so the error is located at the key.
            .setAllowNonScalarKeys(true)
            .setUseMarks(true)
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
    } catch (YamlEngineException e) {
      problems.add(
          Problem.at(Position.startOf(source.name()), "", "invalid YAML: " + e.getMessage()));
      return Optional.empty();
    }
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
              "expected path=value with a dotted path such as components.grafana.replicas=2, got '"
                  + text
                  + "'"));
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
    String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
    String context = e.getContext();
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
              "unsupported YAML tag '" + shortTag(node.getTag()) + "'"));
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
                "'" + s.getValue() + "' is not a valid " + shortTag(s.getTag())));
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
                  "duplicate key '"
                      + key.getValue()
                      + "' (first at line "
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
